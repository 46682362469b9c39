"""Continuation plans (续保), hand-worked for persons in different situations.

Test region: average wage 6000 (2024) and 6500 (2025), none later; flexible rate 20%;
employee rates 16% + 8%.  At 60% of 6500 the flexible month costs 3900 × 20% = 780.00, at
100% 1300.00.
"""

from decimal import Decimal

import pytest

from shebao.rules.continuation import ContinuationError, continuation_plan
from shebao.rules.months import month_str, parse_month
from shebao.rules.policy import parse_policy
from shebao.rules.retirement import statutory_retirement

TEXT = """
[region]
code = "999999"
name = "测试市"
pooling_start = "1990-01"

[rates]
pension = [{ from = "2019-05", employer = 0.16, personal = 0.08, source = "test" }]
flexible = { rate = 0.20, account = 0.08, source = "test" }

[average_wages]
years = [{ year = 2024, monthly = 6000, source = "test" }, { year = 2025, monthly = 6500, source = "test" }]
"""
POLICY = parse_policy(TEXT)


def plan(birth, sex, category, paid, deemed, restart, ratio, mode="flexible", policy=POLICY):
    retirement = statutory_retirement(parse_month(birth), sex, category).retirement_month
    return continuation_plan(
        paid_months=paid,
        deemed_months=deemed,
        retirement_month=retirement,
        restart=parse_month(restart),
        base_ratio=Decimal(ratio),
        policy=policy,
        mode=mode,
    )


def options(p):
    return {o.kind: (o.allowed, o.months, o.cost) for o in p.options}


def test_still_short_at_retirement_age():
    # man born 1966-01: 60 years 4 months, retires 2026-05; minimum 180
    p = plan("1966-01", "M", None, 100, 20, "2025-07", "0.6")
    assert month_str(p.retirement_month) == "2026-05"
    assert (p.months_so_far, p.months_needed, p.planned_months, p.total_months) == (120, 60, 11, 131)
    assert (p.reaches_minimum, p.shortfall) == (False, 49)
    # 2025: 6 × 780; 2026 beyond the table, the 2025 wage: 5 × 780
    assert [(r.months, r.monthly, r.wage_year) for r in p.rows] == [
        (6, Decimal("780.00"), 2025),
        (5, Decimal("780.00"), 2025),
    ]
    assert p.total_cost == Decimal("8580.00")
    assert any("2026" in n and "2025" in n for n in p.explain.notes)
    pay_on = next(o for o in p.options if o.kind == "pay_on")
    assert (month_str(pay_on.start), month_str(pay_on.end)) == ("2026-06", "2030-06")
    assert options(p) == {
        "pay_on": (True, 49, Decimal("38220.00")),
        "lump_sum": (False, 49, Decimal("38220.00")),  # not allowed by default
        "residents_transfer": (True, 0, None),
    }


def test_lump_sum_where_the_region_allows_it():
    policy = parse_policy(TEXT + '\n[backpay]\nlump_sum_allowed = true\nsource = "test"\n')
    p = plan("1966-01", "M", None, 100, 20, "2025-07", "0.6", policy=policy)
    assert options(p)["lump_sum"] == (True, 49, Decimal("38220.00"))


def test_already_enough():
    # woman cadre born 1972-03: original 2027-03, k = 26, delay 7: retires 2027-10; minimum 180
    p = plan("1972-03", "F", "cadre", 170, 15, "2025-01", "1.0")
    assert (p.months_so_far, p.months_needed, p.planned_months, p.total_months) == (185, 0, 34, 219)
    assert (p.reaches_minimum, p.shortfall, p.options) == (True, 0, ())
    assert p.total_cost == Decimal("44200.00")  # 34 × 1300


def test_woman_worker_versus_cadre():
    cadre = plan("1972-03", "F", "cadre", 150, 0, "2025-01", "1.0")
    worker = plan("1972-03", "F", "worker", 150, 0, "2025-01", "1.0")
    # cadre: retires 2027-10, 34 months planned, 184 ≥ 180
    assert (month_str(cadre.retirement_month), cadre.total_months, cadre.reaches_minimum) == (
        "2027-10",
        184,
        True,
    )
    assert cadre.total_cost == Decimal("44200.00")
    # worker: original age 50 reached 2022-03, before the reform: already past retirement age
    assert (month_str(worker.retirement_month), worker.planned_months, worker.shortfall) == ("2022-03", 0, 30)
    assert worker.total_cost == Decimal("0.00")
    # pays on 30 months from the restart month: 2025-01..2027-06 at 1300
    assert options(worker)["pay_on"] == (True, 30, Decimal("39000.00"))


def test_already_past_retirement_age():
    # man born 1960-05: retired 2020-05 at 60, minimum 180
    p = plan("1960-05", "M", None, 150, 10, "2025-03", "0.6")
    assert (p.planned_months, p.total_months, p.shortfall) == (0, 160, 20)
    pay_on = next(o for o in p.options if o.kind == "pay_on")
    assert (month_str(pay_on.start), month_str(pay_on.end), pay_on.cost) == (
        "2025-03",
        "2026-10",
        Decimal("15600.00"),
    )


def test_past_retirement_age_with_no_record_cannot_join():
    p = plan("1960-05", "M", None, 0, 0, "2025-03", "0.6")
    assert options(p)["pay_on"][0] is False and options(p)["lump_sum"][0] is False
    assert options(p)["residents_transfer"][0] is True


def test_retiring_after_2030_when_the_minimum_rises():
    # man born 1970-06: retires 2031-11 at 61 years 5 months; minimum for 2031 is 192
    p = plan("1970-06", "M", None, 150, 0, "2030-01", "0.6")
    assert (p.minimum_months, p.planned_months, p.total_months, p.shortfall) == (192, 23, 173, 19)
    assert p.total_cost == Decimal("17940.00")  # 23 × 780, the 2025 wage
    assert options(p)["pay_on"] == (True, 19, Decimal("14820.00"))


def test_employed_pays_employer_and_personal_rates():
    p = plan("1966-01", "M", None, 100, 20, "2025-07", "1.0", mode="employed")
    assert p.rows[0].rate == Decimal("0.24")
    assert p.total_cost == Decimal("17160.00")  # 11 × 6500 × 24%


@pytest.mark.parametrize(
    ("ratio", "mode", "reason"),
    [
        ("0.5", "flexible", "base_ratio_out_of_range"),
        ("3.5", "flexible", "base_ratio_out_of_range"),
        ("1.0", "retired", "bad_mode"),
    ],
)
def test_bad_input(ratio, mode, reason):
    with pytest.raises(ContinuationError) as err:
        plan("1966-01", "M", None, 100, 20, "2025-07", ratio, mode=mode)
    assert err.value.reason == reason


def test_to_dict_has_every_figure():
    data = plan("1966-01", "M", None, 100, 20, "2025-07", "0.6").to_dict()
    assert data["monthly_cost"] == "780.00" and data["total_cost"] == "8580.00"
    assert data["shortfall"] == 49 and data["explain"]["notes"]
