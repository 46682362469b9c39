"""Acceptance on the shared sample (legacy-baoding): every person and every rejection as its truth.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli import compare_rejections, compare_with_truth, run, run_json

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "legacy-baoding"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy_1987(tmp_path, monkeypatch):
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[region]\ncode = "130600"\nname = "保定市"\npooling_start = "1987-01"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SHEBAO_POLICY", str(policy))
    return policy


def test_sample_imports_to_its_truth(capsys, policy_1987):
    code, report = run_json(capsys, "import", str(SAMPLE))
    assert code == 0
    assert compare_rejections(report, TRUTH) == []
    assert report["rows"] == report["accepted"] + len(report["rejected"]) + report["skipped"]
    assert report["ignored"] == ["truth.json"]
    assert report["persons"] == len(TRUTH["persons"])
    assert compare_with_truth(capsys, TRUTH) == []


def test_importing_the_sample_twice_adds_nothing(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    _, first = run_json(capsys, "person", "130603195602062393", "--as-of", "2026-11")
    code, again = run_json(capsys, "import", str(SAMPLE))
    assert code == 0
    assert again["files"] == 12 and len(again["unchanged"]) == 12
    assert (again["rows"], again["accepted"], again["rejected"], again["persons"]) == (0, 0, [], 0)
    _, second = run_json(capsys, "person", "130603195602062393", "--as-of", "2026-11")
    assert second == first


def test_dry_run_reports_and_writes_nothing(capsys, policy_1987):
    code, report = run_json(capsys, "import", str(SAMPLE), "--dry-run")
    assert code == 0 and report["dry_run"] is True
    assert compare_rejections(report, TRUTH) == []
    assert report["persons"] == 40
    code, missing = run_json(capsys, "person", "130603195602062393")
    assert code == 1 and missing == {"error": "not_found", "query": "130603195602062393"}
    # and a real import afterwards still imports everything
    _, real = run_json(capsys, "import", str(SAMPLE))
    assert real["unchanged"] == [] and real["persons"] == 40


def test_person_found_by_15_digit_id_in_full_width_and_lower_case(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    # 13068119660606121X written as its 15-digit form in full-width digits
    code, person = run_json(capsys, "person", "１３０６８１６６０６０６１２１")
    assert code == 0 and person["id_number"] == "13068119660606121X"
    code, person = run_json(capsys, "person", "13068119660606121x")
    assert code == 0 and person["name"] == "夏志强"


def test_homophone_and_variant_names(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    # 贺永生 is written 贺永升 in one roster: both spellings find him, the variant is listed
    code, by_variant = run_json(capsys, "person", "贺永升")
    assert code == 0 and by_variant["id_number"] == "130603195602062393"
    assert by_variant["name"] == "贺永生" and by_variant["name_variants"] == ["贺永升"]
    conflict = by_variant["conflicts"][0]
    assert conflict["field"] == "name" and conflict["values"] == ["贺永升", "贺永生"]
    assert "rosters/保定市水泥厂-花名册-2003.xlsx:花名册:6" in conflict["sources"]
    # a same-sounding spelling nobody wrote still finds him (贺 he4, 咏 yong3, 声 sheng1)
    code, by_sound = run_json(capsys, "person", "贺咏声")
    assert code == 0 and by_sound["id_number"] == "130603195602062393"


def test_unknown_person(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    code, out = run_json(capsys, "person", "无此人")
    assert code == 1 and out == {"error": "not_found", "query": "无此人"}


def test_as_of_leaves_later_months_out(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    # 范美玲: paid 1994-03…2009-05, then flexible 2017-11…2019-07 (truth: 204 months as of 2026-11)
    code, early = run_json(capsys, "person", "130681197606159465", "--as-of", "2009-12")
    assert code == 0
    assert early["last_paid"] == "2009-05" and early["interrupted_since"] == "2009-06"
    assert early["gaps"] == [] and early["contribution_months"]["pension"] == 204 - 21


def test_periods_carry_employer_base_and_sources(capsys, policy_1987):
    run_json(capsys, "import", str(SAMPLE))
    _, person = run_json(capsys, "person", "130602195607210766", "--as-of", "2026-11")
    first = person["periods"][0]
    # annual/保定市纺织厂: 1987 at base 88.00, also on the pension card
    assert first == {
        "from": "1987-01",
        "to": "1987-12",
        "months": 12,
        "employer": "保定市纺织厂",
        "base": "88.00",
        "flexible": False,
        "sources": ["annual", "card"],
    }
    flexible = run_json(capsys, "person", "130681197606159465", "--as-of", "2026-11")[1]["periods"][-1]
    assert flexible["flexible"] is True and flexible["employer"] is None and flexible["to"] == "2019-07"


def test_text_output_is_readable(capsys, policy_1987):
    run(capsys, "import", str(SAMPLE))
    code, out = run(capsys, "person", "130603195602062393", "--as-of", "2026-11")
    assert code == 0 and "贺永生" in out and "冲突 name" in out
