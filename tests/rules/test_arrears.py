"""Employer arrears: base choice, rates by period, late fees, totals."""

import datetime as dt
from decimal import Decimal

import pytest

from shebao.rules.arrears import OwedMonth, PaidRecord, arrears
from shebao.rules.months import parse_month
from shebao.rules.policy import parse_policy

POLICY = parse_policy(
    """
[region]
code = "999999"
name = "测试市"
pooling_start = "1990-01"

[rates]
pension = [
    { from = "1990-01", employer = 0.20, personal = 0.08, source = "test" },
    { from = "2019-05", employer = 0.16, personal = 0.08, source = "test" },
]

[average_wages]
years = [
    { year = 2019, monthly = 5500, source = "test" },
    { year = 2020, monthly = 6000, source = "test" },
]
"""
)
P1, P2 = "130602197001010013", "11010519491231002X"
E1, E2 = "保定市纺织厂", "保定市水泥厂"
PAID = [
    PaidRecord(P1, E1, parse_month("2019-01"), Decimal(4200)),
    PaidRecord(P1, E1, parse_month("2019-09"), Decimal(4800)),
    PaidRecord(P2, E2, parse_month("2020-01"), Decimal(9000)),  # another employer: not used at E1
]


def one(month, person=P1, declared=None, settle=None):
    report = arrears([OwedMonth(person, E1, parse_month(month), declared)], PAID, POLICY, settle)
    return report.lines[0]


@pytest.mark.parametrize(
    ("month", "person", "declared", "base", "kind", "amount"),
    [
        ("2019-03", P1, Decimal(4000), "4000", "declared", "1120.00"),  # 4000 × (20% + 8%)
        ("2019-06", P1, None, "4800", "nearest_paid", "1152.00"),  # 09 is 3 away, 01 is 5: 4800 × 24%
        ("2019-05", P1, None, "4200", "nearest_paid", "1008.00"),  # a tie goes to the earlier month
        ("2020-02", P2, None, "3600", "minimum_base", "864.00"),  # 60% × 6000 × 24%
        ("2021-02", P2, None, "3600", "minimum_base", "864.00"),  # no 2021 wage: 2020's
    ],
)
def test_base_and_amount(month, person, declared, base, kind, amount):
    line = one(month, person, declared)
    assert (line.base, line.base_source, line.amount) == (Decimal(base), kind, Decimal(amount))
    assert line.fee == Decimal("0.00")


def test_explanation_says_which_base():
    line = one("2021-02", P2)
    base = next(p for p in line.explain.parameters if p.name == "base")
    assert "最低缴费基数" in base.source and "最近一年" in base.source


def test_late_fees_and_totals():
    owed = [
        OwedMonth(P1, E1, parse_month("2019-03"), Decimal(4000)),
        OwedMonth(P2, E1, parse_month("2020-02")),
        OwedMonth(P2, E1, parse_month("2020-02")),  # the same month twice counts once
    ]
    report = arrears(owed, PAID, POLICY, dt.date(2020, 3, 16))
    b, a = report.lines  # by employer, then person (P2's ID sorts first), then month
    assert (a.person, b.person) == (P1, P2)
    # 2019-03 due 2019-04-15; 2019-04-16..2020-03-16 = 336 days × 0.05% × 1120 = 188.16
    assert (a.late_fee.days, a.fee) == (336, Decimal("188.16"))
    # 2020-02 due 2020-03-15; one day × 0.05% × 864 = 0.432
    assert (b.late_fee.days, b.fee) == (1, Decimal("0.43"))
    assert report.by_person[(E1, P1)].total == Decimal("1308.16")
    assert report.by_person[(E1, P2)].total == Decimal("864.43")
    assert report.by_employer[E1].months == 2
    assert report.by_employer[E1].amount == Decimal("1984.00")
    assert report.total.late_fee == Decimal("188.59")
    assert report.to_dict()["total"]["total"] == "2172.59"
