"""Explanations read in Chinese: labels for parameter names, collapsed notes, plain conclusions.

Test region as in test_continuation: average wage 6000 (2024) and 6500 (2025), none later;
flexible rate 20%, so 60% of 6500 × 20% = 780.00 a month.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest

from shebao.rules.continuation import continuation_plan
from shebao.rules.explain import Parameter, years_text
from shebao.rules.late_fee import late_fee
from shebao.rules.minimum import minimum_contribution
from shebao.rules.months import parse_month
from shebao.rules.pension import estimate_pension
from shebao.rules.policy import DEFAULT_LATE_FEE, parse_policy
from shebao.rules.retirement import statutory_retirement
from shebao.rules.unemployment import unemployment_benefit_months

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
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b(the|months?|days?|paid|deemed|before|after|with|from|is|are)\b")


def plan(birth, paid, restart, ratio="0.6", policy=POLICY, deemed=0):
    retirement = statutory_retirement(parse_month(birth), "M").retirement_month
    return continuation_plan(
        paid_months=paid,
        deemed_months=deemed,
        retirement_month=retirement,
        restart=parse_month(restart),
        base_ratio=Decimal(ratio),
        policy=policy,
    )


def texts(ex):
    return [ex.rule, *ex.steps, *ex.notes]


@pytest.mark.parametrize(
    "ex",
    [
        statutory_retirement(parse_month("1973-05"), "M").explain,
        minimum_contribution(2034).explain,
        plan("1966-01", 100, "2025-07").explain,
        late_fee(Decimal(10000), dt.date(2011, 6, 15), dt.date(2011, 7, 15)).explain,
        unemployment_benefit_months(70, 3).explain,
    ],
    ids=["retirement", "minimum", "continuation", "late_fee", "unemployment"],
)
def test_rule_steps_and_notes_are_chinese_and_every_parameter_has_a_label(ex):
    for text in texts(ex):
        assert CJK.search(text), text
        assert not ENGLISH_WORDS.search(text), text
    for p in ex.parameters:
        assert re.fullmatch(r"[a-z0-9_ .:-]+", p.name), p.name  # the machine name stays English
        assert CJK.search(p.label), p.name
        assert p.to_dict()["label"] == p.label


@pytest.mark.parametrize(
    ("name", "label"),
    [("step_months", "延迟步长（每延迟1个月所需出生月数）"), ("first_day_counts", "滞纳金首日是否计算")],
)
def test_known_labels(name, label):
    assert Parameter(name, 1, "x").label == label
    assert Parameter("no_such_name", 1, "x").label == "no_such_name"  # unknown: the name itself


@pytest.mark.parametrize(
    ("years", "text"),
    [([2027], "2027"), (range(2027, 2045), "2027—2044"), ([2030, 2026, 2027, 2028], "2026—2028、2030")],
)
def test_years_text(years, text):
    assert years_text(years) == text


def test_a_wage_note_for_many_years_is_one_note():
    # man born 1980-01: original 2040-01, k = 180, delay min(180 // 4 + 1, 36) = 36 → 63 y → 2043-01;
    # 2026 … 2043 all use the 2025 wage: one note, not eighteen
    p = plan("1980-01", 100, "2025-07", ratio="1.0")
    wage_notes = [n for n in p.explain.notes if "超出政策表" in n]
    assert wage_notes == ["2026—2043 年社会平均工资超出政策表，按最近一年（2025 年，6500 元）计"]


def test_option_notes_are_chinese():
    # man born 1966-01 retires 2026-05 with 120 months: 60 short; pay on from 2026-06
    p = plan("1966-01", 100, "2025-07", deemed=20)
    notes = {o.kind: o.note for o in p.options}
    assert notes == {
        "pay_on": "",
        "lump_sum": "按 2026 年缴费基数",
        "residents_transfer": "将个人账户转入城乡居民基本养老保险",
    }


# --------------------------------------------------------------------------- past retirement age


def test_past_retirement_age_with_the_minimum_met():
    # man born 1953-05: original age 60 → 2013-05 (before 2025: no delay); minimum for 2013: 180
    p = plan("1953-05", 200, "2026-12")
    assert (p.past_retirement_age, p.status, p.planned_months, p.options) == (True, "retire_now", 0, ())
    assert p.conclusion == "已达到法定退休年龄（2013-05）；已满足最低缴费年限，无需续保，可申请办理退休"
    d = p.to_dict()
    assert (d["past_retirement_age"], d["status"], d["total_cost"]) == (True, "retire_now", "0.00")
    assert d["planned_months"] == 0 and d["retirement_month"] == "2013-05"  # existing fields kept


@pytest.mark.parametrize(
    ("lump_sum", "ways"),
    [
        (False, "延长缴费至满足（20 个月，每月 780.00 元）／转入城乡居民养老保险"),
        (True, "延长缴费至满足（20 个月，每月 780.00 元）／一次性补缴／转入城乡居民养老保险"),
    ],
)
def test_past_retirement_age_and_short(lump_sum, ways):
    # 150 paid + 10 deemed = 160 < 180: 20 short; pay on 2026-12 … 2028-07 at 0.6 × 6500 × 20% = 780.00
    policy = POLICY
    if lump_sum:
        policy = parse_policy(TEXT + '\n[backpay]\nlump_sum_allowed = true\nsource = "test"\n')
    p = plan("1953-05", 150, "2026-12", policy=policy, deemed=10)
    assert (p.past_retirement_age, p.status, p.shortfall) == (True, "pay_on", 20)
    pay_on = next(o for o in p.options if o.kind == "pay_on")
    assert (pay_on.months, pay_on.cost) == (20, Decimal("15600.00"))  # 20 × 780.00
    assert p.conclusion == (
        "已达到法定退休年龄（2013-05）；累计缴费 160 个月，不足最低缴费年限 20 个月，可选择" + ways
    )
    assert p.to_dict()["status"] == "pay_on"


def test_before_retirement_age_statuses():
    assert plan("1966-01", 100, "2025-07").status == "short_at_retirement"
    assert plan("1966-01", 200, "2025-07").status == "reaches_minimum"
    assert not plan("1966-01", 200, "2025-07").past_retirement_age


# --------------------------------------------------------------------------- pension below the minimum


def test_pension_below_the_minimum_is_marked_conditional():
    # retirement 2034-06: minimum 180 + 6 × (2034 − 2029) = 210; 6 months paid → 204 short
    result = estimate_pension(
        policy=POLICY,
        retirement_month=parse_month("2034-06"),
        retirement_age_years=63,
        contribution_months=6,
        bases=[(parse_month(f"2025-{m:02d}"), Decimal(6500)) for m in range(1, 7)],
    )
    warning = (
        "累计缴费 6 个月，不足最低缴费年限 210 个月：达到退休年龄时不能按月领取基本养老金，"
        "须延长缴费或转入城乡居民养老保险"
    )
    assert (result.meets_minimum, result.shortfall, result.warning) == (False, 204, warning)
    assert result.explain.notes[0] == warning
    d = result.to_dict()
    assert (d["meets_minimum"], d["shortfall"], d["minimum_contribution_months"], d["conditional"]) == (
        False, 204, 210, True,
    )  # fmt: skip
    assert d["total"] == str(result.total)  # the estimate is still given


def test_pension_with_the_minimum_met_has_no_warning():
    result = estimate_pension(
        policy=POLICY,
        retirement_month=parse_month("2025-06"),
        retirement_age_years=60,
        contribution_months=180,
        bases=[(parse_month("2025-01"), Decimal(6500))],
    )
    assert (result.meets_minimum, result.shortfall, result.warning) == (True, 0, "")
    assert result.to_dict()["meets_minimum"] is True


# --------------------------------------------------------------------------- late fee and principal


def cap_rules(cap: bool):
    text = (
        '[region]\ncode = "1"\nname = "x"\npooling_start = "1990-01"\n'
        f'[late_fee]\ncap_at_principal = {str(cap).lower()}\nsource = "test"\n'
    )
    return parse_policy(text).late_fee


OVER = "滞纳金已超过欠缴本金；是否以本金为限（行政强制法第四十五条）由本地政策设定 late_fee.cap_at_principal"


@pytest.mark.parametrize(
    ("cap", "fee", "capped", "over_note"),
    [
        # 2018-01-17 … 2024-01-16: 6 × 365 + 1 (2020-02-29) = 2191 days × 0.05% × 10000 = 10955.00
        (False, "10955.00", False, True),
        (True, "10000.00", True, False),
    ],
)
def test_fee_above_the_principal_says_whether_the_cap_applies(cap, fee, capped, over_note):
    result = late_fee(Decimal(10000), dt.date(2018, 1, 16), dt.date(2024, 1, 16), cap_rules(cap))
    assert (result.days, result.fee, result.capped) == (2191, Decimal(fee), capped)
    assert (OVER in result.explain.notes) is over_note
    cap_param = next(p for p in result.explain.parameters if p.name == "cap_at_principal")
    assert (cap_param.value, cap_param.label) == (cap, "滞纳金是否以本金为限")
    said = " ".join(result.explain.notes)
    assert ("本地政策设定滞纳金以欠缴本金为限" in said) is cap
    assert ("本地政策未设定滞纳金以欠缴本金为限" in said) is not cap


def test_small_fee_states_the_cap_but_no_over_principal_note():
    # the worked example: 60 days × 0.05% × 10000 = 300.00, the default (cap off)
    assert DEFAULT_LATE_FEE.cap_at_principal is False
    result = late_fee(Decimal(10000), dt.date(2024, 1, 16), dt.date(2024, 3, 16))
    assert result.fee == Decimal("300.00")
    assert OVER not in result.explain.notes
    assert any("cap_at_principal = false" in n for n in result.explain.notes)


def test_arrears_report_says_the_cap_and_counts_months_over_the_principal():
    from shebao.rules.arrears import OwedMonth, arrears

    # 2018-01 due 2018-02-15, settled 2024-02-15: 2191 days × 0.05% > 1: the fee exceeds the amount
    owed = [OwedMonth("P", "E", parse_month("2018-01"), Decimal(4000))]
    report = arrears(owed, [], POLICY, dt.date(2024, 2, 15))
    line = report.lines[0]
    assert line.fee > line.amount
    assert OVER in line.explain.notes
    assert "1 个月的" + OVER in report.explain.notes
    assert any(p.name == "cap_at_principal" and p.value is False for p in report.explain.parameters)
