"""A person's retirement, continuation plan and pension estimate, from the record (hand-worked).

Sample policy (shebao/rules/data/region-130600.toml): average wage 7300 for 2025 and none later,
so every month from 2025 on uses 7300; flexible rate 20%; employee rates from 2019-05 16% + 8%.
  60%:  0.6 × 7300 = 4380.00, × 20% = 876.00 a month (employed: × 24% = 1051.20)
  100%: 7300 × 20% = 1460.00 a month
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shebao.counter.services import CounterError, pension_for, plan_for, region_policy, retirement_of
from shebao.people import services as people_services
from shebao.people.models import Person
from shebao.rules.months import month_str, parse_month
from tests.counter.conftest import add_period, make_person
from tests.integration.cli import run_json

pytestmark = pytest.mark.django_db

TANG_WEIDONG = "130602197305269198"  # M, 1973-05, 100 paid months, last paid 2004-02
HE_GUILAN = "130603196412031769"  # F worker, 1964-12, 289 paid + 17 deemed
LIAO_ZHIGANG = "13060419590807211X"  # M, 1959-08, 34 paid + 66 deemed
AS_OF = parse_month("2026-11")
RESTART = parse_month("2026-12")


def _plan(person, ratio, mode="flexible", restart=RESTART):
    return plan_for(
        person, region_policy(), as_of=AS_OF, restart=restart, base_ratio=Decimal(ratio), mode=mode
    )[1]


@pytest.mark.parametrize(
    ("number", "retirement", "age", "minimum", "so_far", "short", "past"),
    [
        # 1973-05 man: original 2033-05, k = 100, delay min(100 // 4 + 1, 36) = 26 → 62 y 2 m → 2035-07;
        # minimum for 2035: 180 + 6 × 6 = 216; 100 paid → 116 short
        (TANG_WEIDONG, "2035-07", (62, 2), 216, 100, 116, False),
        # 1964-12 woman worker: original 2014-12, before 2025: no delay; 289 + 17 = 306 ≥ 180
        (HE_GUILAN, "2014-12", (50, 0), 180, 306, 0, True),
        # 1959-08 man: 2019-08; 34 + 66 = 100 → 80 short
        (LIAO_ZHIGANG, "2019-08", (60, 0), 180, 100, 80, True),
    ],
)
def test_retirement_of_sample_persons(imported_sample, number, retirement, age, minimum, so_far, short, past):
    r = retirement_of(Person.objects.get(id_number=number), region_policy(), AS_OF)
    d = r.to_dict()
    assert d["retirement_month"] == retirement
    assert (d["retirement_age"]["years"], d["retirement_age"]["months"]) == age
    assert (d["minimum_contribution_months"], d["months_so_far"], d["months_short"]) == (
        minimum,
        so_far,
        short,
    )
    assert d["past_retirement"] is past
    assert d["explain"]["steps"]


def test_archive_birth_date_wins_over_the_id_and_the_explanation_says_so(db):
    # ID 1965-01: original 2025-01, k = 0, delay 1 → 2025-02.  Archive 1964-11: original 2024-11, no delay.
    person = make_person("13060219650115123X", "测试甲", "M", "1965-01-15", archive="1964-11")
    r = retirement_of(person, region_policy(), AS_OF)
    assert (r.birth.source, month_str(r.result.retirement_month)) == ("archive", "2024-11")
    birth = next(p for p in r.explain.parameters if p.name == "birth_month")
    assert "最早的档案记载" in birth.source
    person.archive_birth_date = ""
    r = retirement_of(person, region_policy(), AS_OF)
    assert (r.birth.source, month_str(r.result.retirement_month)) == ("id", "2025-02")


def test_a_woman_without_category_needs_a_decision_which_is_audited(users):
    from shebao.audit.models import AuditEntry

    person = make_person("130602197003012346", "测试乙", "F", "1970-03-01")
    r = retirement_of(person, region_policy(), AS_OF)
    assert r.category_needed and r.result is None and r.months_short is None
    with pytest.raises(CounterError) as caught:
        _plan(person, "0.6")
    assert caught.value.reason == "category_required"
    people_services.decide(users["counter_clerk"], person, "category", "cadre", "1992 年干部履历表")
    person.refresh_from_db()
    # cadre, 1970-03: original 2025-03, k = 2, delay 2 // 4 + 1 = 1 → 55 y 1 m → 2025-04
    r = retirement_of(person, region_policy(), AS_OF)
    assert (person.category, month_str(r.result.retirement_month)) == ("cadre", "2025-04")
    assert "认定" in next(p for p in r.explain.parameters if p.name == "category").source
    assert AuditEntry.objects.filter(action="person.decide", object_id=str(person.pk)).exists()


def test_plan_still_short_at_retirement_age(imported_sample):
    person = Person.objects.get(id_number=TANG_WEIDONG)
    # 2026-12 … 2035-07: 1 + 8 × 12 + 7 = 104 months; 100 + 104 = 204 < 216 → 12 short
    at60 = _plan(person, "0.6")
    assert (at60.months_so_far, at60.planned_months, at60.total_months, at60.shortfall) == (100, 104, 204, 12)
    assert (at60.first_monthly_cost, at60.total_cost) == (Decimal("876.00"), Decimal("91104.00"))  # 104 × 876
    at100 = _plan(person, "1.0")
    assert (at100.first_monthly_cost, at100.total_cost) == (Decimal("1460.00"), Decimal("151840.00"))
    # pay on after retirement age: 12 months from 2035-08 at 876.00 = 10512.00
    pay_on = next(o for o in at60.options if o.kind == "pay_on")
    assert (pay_on.allowed, pay_on.months, pay_on.cost, month_str(pay_on.start)) == (
        True, 12, Decimal("10512.00"), "2035-08",
    )  # fmt: skip
    employed = _plan(person, "0.6", mode="employed")
    assert employed.first_monthly_cost == Decimal("1051.20")  # 4380 × (0.16 + 0.08)


def test_plan_already_enough_and_past_retirement(imported_sample):
    he = _plan(Person.objects.get(id_number=HE_GUILAN), "0.6")
    assert (he.planned_months, he.reaches_minimum, he.total_cost) == (0, True, Decimal("0.00"))
    # past retirement age, 80 short: pay on 80 months from the restart 2026-12: 80 × 876 = 70080.00
    liao = _plan(Person.objects.get(id_number=LIAO_ZHIGANG), "0.6")
    assert (liao.planned_months, liao.shortfall) == (0, 80)
    pay_on = next(o for o in liao.options if o.kind == "pay_on")
    assert (pay_on.cost, month_str(pay_on.start), month_str(pay_on.end)) == (
        Decimal("70080.00"), "2026-12", "2033-07",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("category", "retirement", "minimum", "planned", "shortfall", "total"),
    [
        # worker: original 2030-05, k = 64, delay min(64 // 2 + 1, 60) = 33 → 52 y 9 m → 2033-02;
        # minimum 2033: 180 + 6 × 4 = 204; 2026-12 … 2033-02 = 1 + 72 + 2 = 75; 120 + 75 = 195 → 9 short
        ("worker", "2033-02", 204, 75, 9, Decimal("109500.00")),  # 75 × 1460
        # cadre: original 2035-05, k = 124, delay min(124 // 4 + 1, 36) = 32 → 57 y 8 m → 2038-01;
        # minimum 2038: 180 + 6 × 9 = 234; 2026-12 … 2038-01 = 1 + 132 + 1 = 134; 120 + 134 = 254 ≥ 234
        ("cadre", "2038-01", 234, 134, 0, Decimal("195640.00")),  # 134 × 1460
    ],
)
def test_plan_retiring_after_2030_woman_worker_vs_cadre(
    db, category, retirement, minimum, planned, shortfall, total
):
    person = make_person("130602198005053453", "测试丙", "F", "1980-05-05", category=category)
    add_period(person, "2010-01", "2019-12", base="3000.00", flexible=True)  # 120 months
    plan = _plan(person, "1.0")
    assert (month_str(plan.retirement_month), plan.minimum_months) == (retirement, minimum)
    assert (plan.months_so_far, plan.planned_months, plan.shortfall, plan.total_cost) == (
        120, planned, shortfall, total,
    )  # fmt: skip


def test_months_are_counted_up_to_the_month_before_the_restart(db):
    person = make_person("130602198005053453", "测试丙", "F", "1980-05-05", category="worker")
    add_period(person, "2026-01", "2026-11", base="4380.00", flexible=True)  # 11 months
    plan = _plan(person, "0.6", restart=parse_month("2026-07"))
    # counted to 2026-06: 6 months; planned 2026-07 … 2033-02 = 6 + 72 + 2 = 80 → 86 in all
    assert (plan.paid_months, plan.planned_months, plan.total_months) == (6, 80, 86)
    assert plan.explain.inputs["months_counted_to"] == "2026-06"


def test_pension_estimate_from_the_record(db):
    # man 1968-10: original 2028-10, k = 45, delay 45 // 4 + 1 = 12 → 61 y → 2029-10.
    # W: no wage for 2029, the 2025 figure 7300 (estimated).  One year at base 7050 = the 2024 wage: I = 1.
    # 基础养老金 (7300 + 7300 × 1) / 2 × 1 × 1% = 73.00
    # account 12 × 7050 × 8% = 6768.00; 计发月数 at 61 = 132; 6768 / 132 = 51.2727… → 51.27
    person = make_person("130602196810105675", "测试丁", "M", "1968-10-10")
    add_period(person, "2024-01", "2024-12", employer="测试机械厂", base="7050.00")
    retirement, estimate = pension_for(person, region_policy(), AS_OF)
    assert month_str(retirement.result.retirement_month) == "2029-10"
    assert (estimate.basic.value, estimate.personal.value, estimate.total) == (
        Decimal("73.00"), Decimal("51.27"), Decimal("124.27"),
    )  # fmt: skip
    assert estimate.wage_estimated and estimate.balance_estimated
    assert any("不是待遇核定" in n for n in estimate.explain.notes)


def test_cli_plan_and_pension_json_carry_explain(imported_sample, capsys):
    code, plan = run_json(
        capsys, "plan", TANG_WEIDONG, "--restart", "2026-12", "--base-ratio", "60%", "--as-of", "2026-11"
    )
    assert code == 0
    assert (plan["monthly_cost"], plan["total_cost"], plan["shortfall"]) == ("876.00", "91104.00", 12)
    assert plan["retirement"]["retirement_month"] == "2035-07" and plan["explain"]["steps"]
    assert plan["retirement"]["explain"]["parameters"]
    code, employed = run_json(
        capsys,
        "plan",
        TANG_WEIDONG,
        "--restart",
        "2026-12",
        "--base-ratio",
        "0.6",
        "--as-of",
        "2026-11",
        "--employed",
    )
    assert (code, employed["mode"], employed["monthly_cost"]) == (0, "employed", "1051.20")
    code, pension = run_json(capsys, "pension", TANG_WEIDONG, "--as-of", "2026-11")
    assert code == 0 and pension["explain"]["notes"] and pension["estimated"]["account_balance"] is True
    code, bad = run_json(capsys, "plan", TANG_WEIDONG, "--base-ratio", "5", "--as-of", "2026-11")
    assert code == 2 and bad["error"] == "base_ratio_out_of_range"
