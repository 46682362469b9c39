"""The counter's CLI texts in Chinese: past retirement age, pensions below the minimum, labels.

Sample policy: average wage 7300 for 2025 and none later; flexible 20%: at 60% a month costs
0.6 × 7300 × 20% = 876.00.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.counter.conftest import add_period, make_person
from tests.integration.cli import run, run_json

pytestmark = pytest.mark.django_db

OLD_MAN_MET = "130602195305151238"  # M, 1953-05 → retirement 2013-05; minimum 180
OLD_MAN_SHORT = "130602195305253453"  # M, 1953-05


@pytest.fixture
def old_men(db):
    met = make_person(OLD_MAN_MET, "测试戊", "M", "1953-05-15")
    add_period(met, "1995-01", "2009-12", employer="测试机械厂", base="3000.00")  # 15 × 12 = 180
    short = make_person(OLD_MAN_SHORT, "测试己", "M", "1953-05-25")
    add_period(short, "1995-01", "2007-12", employer="测试机械厂", base="3000.00")  # 13 × 12 = 156
    return met, short


def test_plan_past_retirement_age_with_the_minimum_met(old_men, capsys):
    args = ("plan", OLD_MAN_MET, "--base-ratio", "0.6", "--as-of", "2026-11")
    code, text = run(capsys, *args)
    assert code == 0
    assert "已达到法定退休年龄（2013-05）；已满足最低缴费年限，无需续保，可申请办理退休" in text
    assert "共 0 个月" not in text and "2026-12 至 2013-05" not in text
    code, data = run_json(capsys, *args)
    assert (data["past_retirement_age"], data["status"], data["months_so_far"]) == (True, "retire_now", 180)
    assert (data["planned_months"], data["reaches_minimum"], data["options"]) == (0, True, [])


def test_plan_past_retirement_age_and_short(old_men, capsys):
    # 156 < 180: 24 short; pay on 2026-12 … 2028-11, 24 × 876.00 = 21024.00
    args = ("plan", OLD_MAN_SHORT, "--base-ratio", "0.6", "--as-of", "2026-11")
    code, text = run(capsys, *args)
    assert code == 0
    assert (
        "已达到法定退休年龄（2013-05）；累计缴费 156 个月，不足最低缴费年限 24 个月，"
        "可选择延长缴费至满足（24 个月，每月 876.00 元）／转入城乡居民养老保险"
    ) in text
    assert "延长缴费：可，约 21024.00 元，2026-12 至 2028-11" in text
    assert "一次性补缴：本地区不允许" in text
    code, data = run_json(capsys, *args)
    assert (data["past_retirement_age"], data["status"], data["shortfall"]) == (True, "pay_on", 24)


def test_pension_below_the_minimum_warns_and_marks_the_estimate(db, capsys):
    # man 1968-10 → 2029-10, minimum 180 (2029); 12 months on record: 168 short
    person = make_person("130602196810105675", "测试丁", "M", "1968-10-10")
    add_period(person, "2024-01", "2024-12", employer="测试机械厂", base="7050.00")
    code, text = run(capsys, "pension", person.id_number, "--as-of", "2026-11")
    assert code == 0
    assert (
        "累计缴费 12 个月，不足最低缴费年限 180 个月：达到退休年龄时不能按月领取基本养老金，"
        "须延长缴费或转入城乡居民养老保险"
    ) in text
    assert "条件性" in text and "124.27 元/月" in text  # the estimate is still shown
    code, data = run_json(capsys, "pension", person.id_number, "--as-of", "2026-11")
    assert (data["meets_minimum"], data["shortfall"], data["total"]) == (False, 168, "124.27")


def test_plan_explain_prints_labels_not_names(old_men, capsys):
    code, text = run(capsys, "plan", OLD_MAN_SHORT, "--base-ratio", "0.6", "--as-of", "2026-11", "--explain")
    assert code == 0
    assert "最低缴费月数：180" in text and "是否允许延长缴费：True" in text
    assert "minimum_months" not in text and "pay_on_allowed" not in text


def test_renewal_rebuild_prints_reason_labels(imported_sample, capsys):
    code, text = run(capsys, "renewal-queue", "rebuild", "--today", "2026-12-01")
    assert code == 0 and "停缴且未满最低缴费年限" in text
    assert "stopped_below_minimum" not in text and "retiring_short" not in text


def test_certificate_purpose_goes_to_the_audit_log(old_men, users, capsys, tmp_path):
    from shebao.audit.models import AuditEntry

    out = tmp_path / "c.pdf"
    code, _ = run(
        capsys, "certificate", OLD_MAN_MET, "--as-of", "2026-11", "-o", str(out), "--purpose", "本人申请退休"
    )
    assert code == 0
    assert AuditEntry.objects.filter(action="person.view", purpose="本人申请退休").exists()


def test_a_closed_pipe_ends_quietly():
    shebao = Path(sys.executable).with_name("shebao")
    proc = subprocess.Popen(
        [str(shebao), "retirement", "--birth", "1973-05", "--sex", "M", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before anything is written (like `| head -0`)
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
