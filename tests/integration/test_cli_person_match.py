"""`shebao person NAME`: says how the query found the person (matched_by), and warns in text mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.cli import run, run_json

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "legacy-baoding"
HE_YONGSHENG = "130603195602062393"  # written 贺永升 in one roster; 15-digit form 130603560206239

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(capsys):
    code, _ = run_json(capsys, "import", str(SAMPLE))
    assert code == 0


@pytest.mark.parametrize(
    ("query", "matched_by"),
    [
        ("贺永生", "exact"),
        ("贺永升", "variant"),
        ("贺咏声", "homophone"),  # 贺 he4, 咏 yong3, 声 sheng1: nobody wrote it
        (HE_YONGSHENG, "id"),
        ("130603560206239", "id"),
    ],
)
def test_json_says_how_the_person_was_found(capsys, imported, query, matched_by):
    code, person = run_json(capsys, "person", query)
    assert code == 0
    assert person["id_number"] == HE_YONGSHENG and person["name"] == "贺永生"
    assert person["matched_by"] == matched_by


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("贺咏声", "没有姓名完全相同的人员；以下为同音姓名（拼音相同），请核对身份证号"),
        ("贺永升", "以下人员的档案中曾写作此姓名"),
    ],
)
def test_text_mode_warns_first_line(capsys, imported, query, notice):
    code, out = run(capsys, "person", query)
    lines = out.splitlines()
    assert code == 0 and notice in lines[0]
    assert lines[1].startswith("贺永生  130603195602062393")


def test_text_mode_exact_name_has_no_notice(capsys, imported):
    code, out = run(capsys, "person", "贺永生")
    assert code == 0 and out.splitlines()[0].startswith("贺永生  130603195602062393")
