"""Back-payment eligibility under region policy."""

import datetime as dt
from decimal import Decimal

from shebao.rules.arrears import PaidRecord
from shebao.rules.backpay import EmploymentPeriod, backpay_eligibility
from shebao.rules.months import month_str, parse_month
from shebao.rules.policy import parse_policy

PERSON = "130602197001010013"
BASE = """
[region]
code = "999999"
name = "测试市"
pooling_start = "1987-01"

[rates]
pension = [{ from = "1987-01", employer = 0.20, personal = 0.08, source = "test" }]

[average_wages]
years = [{ year = 1995, monthly = 400, source = "test" }, { year = 2020, monthly = 6000, source = "test" }]
"""
PERIODS = [
    EmploymentPeriod("保定市纺织厂", parse_month("1993-01"), parse_month("1996-12")),
    EmploymentPeriod(None, parse_month("2020-01"), parse_month("2020-12")),  # flexible work
]
PAID = [PaidRecord(PERSON, "保定市纺织厂", parse_month(f"1996-{m:02d}"), Decimal(500)) for m in range(1, 13)]


def test_default_rules():
    result = backpay_eligibility(PERSON, PERIODS, PAID, parse_policy(BASE), parse_month("2026-10"))
    assert [month_str(m) for m in result.months] == [f"1995-{m:02d}" for m in range(1, 13)]
    # base of the nearest paid month (1996-01: 500) × 28% = 140 a month
    assert {line.amount for line in result.employee_lines} == {Decimal("140.00")}
    assert result.total == Decimal("1680.00")
    assert result.refused == {"before_earliest_month": 24, "flexible_past_month": 12}


def test_region_allowing_flexible_past_months():
    text = BASE + '\n[backpay]\nflexible_past_months = true\nsource = "test"\n'
    result = backpay_eligibility(PERSON, PERIODS, PAID, parse_policy(text), parse_month("2026-10"))
    # flexible: 60% × 6000 × 20% = 720 a month, 12 months
    assert [line.amount for line in result.flexible_lines] == [Decimal("720.00")] * 12
    assert result.total == Decimal("10320.00")


def test_later_earliest_month_and_retirement():
    text = BASE + '\n[backpay]\nearliest_month = "1996-01"\nsource = "test"\n'
    periods = [EmploymentPeriod("保定市水泥厂", parse_month("1995-07"), parse_month("2027-06"))]
    result = backpay_eligibility(
        PERSON,
        periods,
        [],
        parse_policy(text),
        parse_month("2026-10"),
        retirement_month=parse_month("1996-03"),
    )
    assert [month_str(m) for m in result.months] == ["1996-01", "1996-02", "1996-03"]
    # months after as_of (2026-11 on) are neither eligible nor refused
    assert result.refused == {"before_earliest_month": 6, "after_retirement": 2026 * 12 + 9 - (1996 * 12 + 2)}


def test_late_fees_with_a_settlement_date():
    periods = [EmploymentPeriod("保定市纺织厂", parse_month("1995-12"), parse_month("1995-12"))]
    result = backpay_eligibility(
        PERSON, periods, PAID, parse_policy(BASE), parse_month("2026-10"), settle=dt.date(1996, 2, 14)
    )
    # due 1996-01-15; 01-16..02-14 = 30 days × 0.2% × 140 = 8.40
    assert result.employee_lines[0].fee == Decimal("8.40")
    assert result.total == Decimal("148.40")
