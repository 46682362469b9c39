"""An employer's arrears with late fees, on the web and as xlsx (hand-worked).

测试机械厂 (sample policy; rates from 2006-01: employer 20% + personal 8% = 28%):
- 测试丁 employed 2012-01 … 2012-06, paid 2012-01 … 2012-03 at base 3000: owes 2012-04 … 06 at the
  nearest paid base 3000 × 28% = 840.00 a month.  Late fees to 2013-01-15 at 0.05%/day, the due date
  (15th of the next month) not charged: 2012-04 due 05-15 → 245 days → 840 × 245 × 0.0005 = 102.90;
  2012-05 → 214 days → 89.88; 2012-06 → 184 days → 77.28.
- 测试戊 employed 2013-01 only, never paid there: the minimum base 0.6 × 3100 (2013) = 1860.00,
  × 28% = 520.80; due 2013-02-15, after the settlement date: no fee.
Totals: 4 months, 3040.80 owed, 270.06 late fees, 3310.86.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shebao.accounts.services import create_user
from shebao.counter.arrears import arrears_workbook, employer_arrears
from shebao.counter.services import region_policy
from shebao.people.models import Employer
from shebao.rules.months import parse_month
from tests.conftest import PASSWORD
from tests.counter.conftest import add_employment, add_period, make_person
from tests.integration.cli import run, run_json

pytestmark = pytest.mark.django_db

DING = "130602196810105675"
WU = "130602197202026783"
SETTLE = "2013-01-15"


@pytest.fixture
def factory(db):
    ding = make_person(DING, "测试丁", "M", "1968-10-10", category="worker")
    wu = make_person(WU, "测试戊", "F", "1972-02-02", category="worker")
    add_employment(ding, "测试机械厂", "2012-01", "2012-06")
    add_period(ding, "2012-01", "2012-03", employer="测试机械厂", base="3000.00")
    add_employment(wu, "测试机械厂", "2013-01", "2013-01")
    return Employer.objects.get(name="测试机械厂")


def test_amounts_and_late_fees(factory, users):
    result = employer_arrears(
        users["counter_clerk"],
        factory,
        region_policy(),
        as_of=parse_month("2026-11"),
        settle=dt.date(2013, 1, 15),
    )
    lines = [
        (x.person, f"{x.month // 12}-{x.month % 12 + 1:02d}", x.base_source, x.amount, x.fee)
        for x in result.report.lines
    ]
    assert lines == [
        (DING, "2012-04", "nearest_paid", Decimal("840.00"), Decimal("102.90")),
        (DING, "2012-05", "nearest_paid", Decimal("840.00"), Decimal("89.88")),
        (DING, "2012-06", "nearest_paid", Decimal("840.00"), Decimal("77.28")),
        (WU, "2013-01", "minimum_base", Decimal("520.80"), Decimal("0.00")),
    ]
    total = result.report.total
    assert (total.months, total.amount, total.late_fee, total.total) == (
        4, Decimal("3040.80"), Decimal("270.06"), Decimal("3310.86"),
    )  # fmt: skip
    assert "最低缴费基数" in result.report.lines[-1].explain.parameters[0].source


def test_xlsx_breakdown(factory, users):
    result = employer_arrears(
        users["counter_clerk"],
        factory,
        region_policy(),
        as_of=parse_month("2026-11"),
        settle=dt.date(2013, 1, 15),
    )
    sheet = load_workbook(io.BytesIO(arrears_workbook(result, users["counter_clerk"]))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("测试机械厂")
    assert rows[2] == ["姓名", "身份证号", "所属期", "缴费基数", "单位部分", "个人部分", "滞纳金", "合计"]
    # 3000 × 20% = 600.00 and 240.00; 1860 × 20% = 372.00 and 148.80
    assert rows[3] == ["测试丁", DING, "2012-04", 3000, 600, 240, 102.9, 942.9]
    assert rows[6] == ["测试戊", WU, "2013-01", 1860, 372, 148.8, 0, 520.8]
    assert rows[7][:3] == ["合计", None, "4 个月"] and rows[7][4:] == [2172, 868.8, 270.06, 3310.86]
    auditor_rows = [
        [c.value for c in row]
        for row in load_workbook(io.BytesIO(arrears_workbook(result, users["auditor"]))).active.iter_rows()
    ]
    assert auditor_rows[3][1] == "1306**********5675"


def test_xlsx_is_formula_injection_safe(db, users):
    person = make_person(DING, "=1+1", "M", "1968-10-10")
    add_employment(person, '=HYPERLINK("http://x")', "2012-01", "2012-01")
    employer = Employer.objects.get(name__startswith="=")
    result = employer_arrears(
        users["admin"], employer, region_policy(), as_of=parse_month("2026-11"), settle=dt.date(2013, 1, 15)
    )
    sheet = load_workbook(io.BytesIO(arrears_workbook(result, users["admin"]))).active
    assert sheet["A1"].value.startswith("'=") and sheet["A4"].value == "'=1+1"
    assert all(
        not (isinstance(c.value, str) and c.value.startswith("=")) for row in sheet.iter_rows() for c in row
    )


def test_employer_page_and_access(factory, users, client):
    url = reverse("web:employer", args=[factory.pk]) + f"?settle={SETTLE}"
    client.force_login(users["auditor"])
    page = client.get(url).content.decode()
    assert "测试机械厂" in page and "3310.86" in page and "270.06" in page
    assert DING not in page and "1306**********5675" in page  # auditors see masked IDs
    client.force_login(users["counter_clerk"])
    assert DING in client.get(url).content.decode()
    xlsx = client.get(reverse("web:employer_arrears_xlsx", args=[factory.pk]) + f"?settle={SETTLE}")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    client.force_login(users["employer_hr"])  # HR of another employer
    assert client.get(url).status_code == 403
    own = create_user("hr2", PASSWORD, "employer_hr", employer=factory)
    client.force_login(own)
    assert client.get(url).status_code == 200
    client.force_login(users["custody_officer"])
    assert client.get(url).status_code == 403


def test_person_panel_links_the_employer(factory, users, client):
    client.force_login(users["counter_clerk"])
    ding = factory.employmentspan_set.first().person
    panel = client.get(reverse("web:person_retirement", args=[ding.pk]) + "?as_of=2026-11").content.decode()
    assert reverse("web:employer", args=[factory.pk]) in panel


def test_cli_arrears(factory, users, capsys, tmp_path):
    code, data = run_json(capsys, "arrears", "机械", "--settle", SETTLE)
    assert code == 0 and data["total"]["total"] == "3310.86" and data["explain"]["steps"]
    assert [p["months"] for p in data["persons"]] == [3, 1]
    out = tmp_path / "a.xlsx"
    code, _ = run(capsys, "arrears", "测试机械厂", "--settle", SETTLE, "--xlsx", str(out))
    assert code == 0 and load_workbook(out).active["A1"].value.startswith("测试机械厂")
    code, data = run_json(capsys, "arrears", "没有这个单位")
    assert code == 2 and data["error"] == "not_found"
