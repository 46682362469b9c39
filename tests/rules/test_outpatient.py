"""Outpatient pooling (门诊统筹): deductible, rate and annual cap per year."""

import datetime as dt
from decimal import Decimal

import pytest

from shebao.rules.outpatient import OutpatientError, Visit, outpatient_reimbursement
from shebao.rules.policy import load_policy, parse_policy

POLICY = parse_policy(
    """
[region]
code = "999999"
name = "测试市"
pooling_start = "1990-01"

[outpatient]
years = [
    { year = 2024, deductible = 200, rate = 0.5, annual_cap = 300, source = "test" },
    { year = 2025, deductible = 100, rate = 0.6, annual_cap = 1000, source = "test" },
]
"""
)
D = dt.date


def test_deductible_rate_and_cap():
    visits = [
        Visit(D(2025, 1, 5), Decimal(300)),  # given out of order: sorted by date
        Visit(D(2024, 3, 1), Decimal(150)),
        Visit(D(2024, 4, 1), Decimal(250)),
        Visit(D(2024, 5, 1), Decimal(1000)),
        Visit(D(2024, 6, 1), Decimal(100)),
    ]
    result = outpatient_reimbursement(visits, POLICY)
    assert [(v.day, v.reimbursed, v.capped) for v in result.visits] == [
        (D(2024, 3, 1), Decimal("0.00"), False),  # 150 toward the 200 deductible
        (D(2024, 4, 1), Decimal("100.00"), False),  # 50 toward it, (250 − 50) × 50%
        (D(2024, 5, 1), Decimal("200.00"), True),  # 500 due, 200 left under the 300 cap
        (D(2024, 6, 1), Decimal("0.00"), True),
        (D(2025, 1, 5), Decimal("120.00"), False),  # a new year: (300 − 100) × 60%
    ]
    assert result.total == Decimal("420.00")


def test_each_visit_rounded_half_up():
    result = outpatient_reimbursement(
        [Visit(D(2025, 1, 5), Decimal(100)), Visit(D(2025, 2, 1), Decimal("0.75"))], POLICY
    )
    assert result.visits[1].reimbursed == Decimal("0.45")  # 0.75 × 0.6
    assert outpatient_reimbursement([Visit(D(2025, 2, 1), Decimal("100.025"))], POLICY).total == Decimal(
        "0.02"
    )


def test_year_without_parameters():
    with pytest.raises(OutpatientError) as err:
        outpatient_reimbursement([Visit(D(2023, 1, 1), Decimal(10))], POLICY)
    assert err.value.reason == "no_parameters"


def test_sample_region_says_its_figures_are_sample_values():
    result = outpatient_reimbursement([Visit(D(2024, 5, 1), Decimal(500))], load_policy())
    assert any("示例值" in n for n in result.explain.notes)
