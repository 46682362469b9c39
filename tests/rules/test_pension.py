"""Pension estimate under 国发〔2005〕38号: the 计发月数 table and the worked examples."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from shebao.rules.months import parse_month
from shebao.rules.pension import (
    PensionError,
    average_index,
    basic_pension,
    estimate_pension,
    jifa_months,
    personal_account_pension,
)
from shebao.rules.policy import parse_policy

DATA = Path(__file__).resolve().parents[2] / "shebao" / "rules" / "data"

with open(DATA / "jifa-yueshu.csv", encoding="utf-8", newline="") as f:
    JIFA = [(int(r["retirement_age"]), int(r["months"])) for r in csv.DictReader(f)]

POLICY = """
[region]
code = "999999"
name = "测试市"
pooling_start = "1990-01"

[rates]
pension = [{ from = "1990-01", employer = 0.20, personal = 0.08, account = 0.08, source = "test" }]

[average_wages]
years = [
    { year = 2022, monthly = 5000, source = "test" },
    { year = 2023, monthly = 6000, source = "test" },
    { year = 2024, monthly = 8000, source = "test" },
]
"""


@pytest.mark.parametrize(("age", "months"), JIFA)
def test_jifa_table_row(age, months):
    assert jifa_months(age) == months


@pytest.mark.parametrize("age", [39, 71])
def test_jifa_outside_the_table(age):
    with pytest.raises(PensionError) as err:
        jifa_months(age)
    assert err.value.reason == "age_outside_table"


def test_worked_example_basic():
    assert basic_pension(Decimal(8000), Decimal("1.2"), Decimal(30)).value == Decimal("2640.00")


def test_worked_example_personal_account():
    result = personal_account_pension(Decimal(150000), 60)
    assert result.value == Decimal("1079.14")
    assert any(p.name == "jifa_months" and p.value == 139 for p in result.explain.parameters)


def test_average_index_skips_years_without_a_wage():
    wages = {2020: Decimal(5000), 2021: Decimal(6000)}
    bases = [(2020, Decimal(5000)), (2020, Decimal(7500)), (2021, Decimal(3000)), (2019, Decimal(999))]
    result = average_index(bases, wages)
    assert result.index == Decimal(1)  # (1 + 1.5 + 0.5) / 3
    assert result.skipped_years == (2019,)
    assert any("2019" in n for n in result.explain.notes)


def test_estimate_from_records_says_what_is_estimated():
    policy = parse_policy(POLICY)
    bases = [(parse_month(f"2023-{m:02d}"), Decimal(6000)) for m in range(1, 13)]
    result = estimate_pension(
        policy=policy,
        retirement_month=parse_month("2024-06"),
        retirement_age_years=60,
        contribution_months=360,
        bases=bases,
    )
    # W 8000 (2024), I = 6000 / 6000 = 1, N = 30: (8000 + 8000) / 2 × 30 × 1% = 2400
    assert result.basic.value == Decimal("2400.00")
    # balance 12 × 6000 × 8% = 5760, no interest; 5760 / 139 = 41.4388…
    assert result.account_balance == Decimal("5760.00")
    assert result.personal.value == Decimal("41.44")
    assert result.total == Decimal("2441.44")
    assert result.balance_estimated and result.index_estimated and not result.wage_estimated
    notes = " ".join(result.explain.notes)
    assert "估算" in notes and "未计利息" in notes


def test_estimate_with_interest_and_a_known_balance():
    text = POLICY + '\n[account_interest]\nyears = [{ year = 2023, rate = 0.05, source = "test" }]\n'
    policy = parse_policy(text)
    bases = [(parse_month(f"2022-{m:02d}"), Decimal(5000)) for m in range(1, 13)]
    result = estimate_pension(
        policy=policy,
        retirement_month=parse_month("2024-06"),
        retirement_age_years=60,
        contribution_months=12,
        bases=bases,
    )
    # 12 × 5000 × 8% = 4800 credited for 2022, × 1.05 in 2023 = 5040; 5040 / 139 = 36.2589…
    assert result.account_balance == Decimal("5040.00")
    assert result.personal.value == Decimal("36.26")
    assert not result.index_estimated

    known = estimate_pension(
        policy=policy,
        retirement_month=parse_month("2024-06"),
        retirement_age_years=60,
        contribution_months=12,
        bases=bases,
        account_balance=Decimal(150000),
    )
    assert known.personal.value == Decimal("1079.14") and not known.balance_estimated


def test_estimate_for_a_year_beyond_the_wage_table():
    policy = parse_policy(POLICY)
    result = estimate_pension(
        policy=policy,
        retirement_month=parse_month("2026-03"),
        retirement_age_years=60,
        contribution_months=360,
        bases=[(parse_month("2024-01"), Decimal(8000))],
        account_balance=Decimal(0),
    )
    assert result.wage_estimated
    assert result.basic.value == Decimal("2400.00")  # W = the 2024 figure, I = 1, N = 30
    assert any("2026" in n and "2024" in n for n in result.explain.notes)
