"""Bundles nobody here has seen: generated with other seeds, sizes, header wordings and policies.

The generator models each person's life first and computes truth.json from that model
with the contract's definitions, independently of the importer and reconciliation.
"""

from __future__ import annotations

import pytest

from shebao.demo.generator import generate_bundle
from tests.integration.cli import compare_rejections, compare_with_truth, run_json

pytestmark = pytest.mark.django_db


def _policy(tmp_path, monkeypatch, pooling_start: str) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'[region]\ncode = "130600"\nname = "保定市"\npooling_start = "{pooling_start}"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SHEBAO_POLICY", str(policy))


@pytest.mark.parametrize(
    ("seed", "persons", "as_of", "pooling_start"),
    [
        (1, 40, "2026-11", "1987-01"),
        (7, 120, "2026-11", "1987-01"),
        (23, 80, "2005-06", "1992-01"),
        (101, 60, "2015-12", "1986-10"),
    ],
)
def test_generated_bundle_matches_its_truth(
    capsys, tmp_path, monkeypatch, seed, persons, as_of, pooling_start
):
    truth = generate_bundle(
        tmp_path / "bundle", persons=persons, seed=seed, as_of=as_of, pooling_start=pooling_start
    )
    _policy(tmp_path, monkeypatch, pooling_start)
    code, report = run_json(capsys, "import", str(tmp_path / "bundle"))
    assert code == 0
    assert compare_rejections(report, truth) == []
    assert report["rows"] == report["accepted"] + len(report["rejected"]) + report["skipped"]
    problems = compare_with_truth(capsys, truth)
    assert problems == [], "\n".join(problems[:20])


def test_generated_bundle_is_idempotent_and_order_independent(capsys, tmp_path, monkeypatch):
    truth = generate_bundle(tmp_path / "bundle", persons=50, seed=5)
    _policy(tmp_path, monkeypatch, "1987-01")
    # import the kinds in an unusual order: card first, then backpay, annual, rosters
    for part in ["养老保险卡登记.csv", "backpay", "annual", "rosters"]:
        code, _ = run_json(capsys, "import", str(tmp_path / "bundle" / part))
        assert code == 0
    assert compare_with_truth(capsys, truth) == []
    code, again = run_json(capsys, "import", str(tmp_path / "bundle"))
    assert again["accepted"] == 0 and again["persons"] == 0 and len(again["unchanged"]) == again["files"]
    assert compare_with_truth(capsys, truth) == []
