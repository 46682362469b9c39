"""Statutory retirement age (法定退休年龄) under the 2024 decision, in force 2025-01-01.

Three categories by original age: ``male`` (60), ``female55`` (women in cadre, managerial or
technical posts, 55) and ``female50`` (women workers, 50).  With k = months from 2025-01 to the
original retirement month, the delay is 0 when k < 0, else min(k // step + 1, cap) months:
step 4 / 4 / 2, cap 36 / 36 / 60.  Retirement month = birth month + new age.

Flexible retirement (弹性退休): up to 36 months earlier, never before the original age and
only with the minimum contribution met; up to 36 months later with the employer's agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shebao.rules.explain import Explanation
from shebao.rules.minimum import DECISION_2024, minimum_contribution, minimum_months
from shebao.rules.months import Month, from_year_month, month_str, year_of

REFORM_START = from_year_month(2025, 1)
FLEXIBLE_MONTHS = 36
EARLY_NOTICE_MONTHS = 3  # 提前三个月告知
LATE_NOTICE_MONTHS = 1


class RetirementError(ValueError):
    """A retirement question that cannot be answered; ``reason`` is a machine code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Category:
    key: str  # male / female55 / female50
    label: str
    original_age_months: int
    step: int  # months of birth per month of delay
    cap: int  # maximum delay in months


CATEGORIES = {
    "male": Category("male", "男职工（原退休年龄 60 周岁）", 60 * 12, 4, 36),
    "female55": Category(
        "female55", "原法定退休年龄为55周岁的女职工（干部、管理或技术岗位）", 55 * 12, 4, 36
    ),
    "female50": Category("female50", "原法定退休年龄为50周岁的女职工（工人岗位）", 50 * 12, 2, 60),
}


def category_key(sex: str, category: str | None) -> str:
    """``male`` / ``female55`` / ``female50`` from sex and post category (工人 / 干部).

    For women the post decides the original age and cannot be derived from the ID number, so
    it is required.  For men it is not used.
    """
    if sex == "M":
        return "male"
    if sex != "F":
        raise RetirementError("bad_sex", f"性别须为 M 或 F，而不是 {sex!r}")
    if category is None:
        raise RetirementError(
            "category_required",
            "女职工须认定用工性质：工人 worker（原退休年龄 50 岁）或干部／管理技术岗位 cadre（原退休年龄 55 岁）",
        )
    if category == "worker":
        return "female50"
    if category == "cadre":
        return "female55"
    raise RetirementError("bad_category", f"用工性质须为 worker（工人）或 cadre（干部），而不是 {category!r}")


@dataclass(frozen=True)
class FlexibleWindow:
    """弹性退休: earliest (with the minimum met) and latest (with the employer's agreement) months."""

    earliest: Month
    latest: Month
    early_notice_months: int = EARLY_NOTICE_MONTHS
    late_notice_months: int = LATE_NOTICE_MONTHS

    def to_dict(self) -> dict:
        return {
            "earliest": month_str(self.earliest),
            "latest": month_str(self.latest),
            "early_notice_months": self.early_notice_months,
            "late_notice_months": self.late_notice_months,
        }


@dataclass(frozen=True)
class RetirementResult:
    birth_month: Month
    category: str  # male / female55 / female50
    original_retirement_month: Month
    delay_months: int
    age_years: int
    age_months: int
    retirement_month: Month
    minimum_contribution_months: int  # for the retirement year
    flexible: FlexibleWindow
    explain: Explanation = field(compare=False)

    @property
    def age_in_months(self) -> int:
        return self.age_years * 12 + self.age_months

    def to_dict(self) -> dict:
        """The ``shebao retirement --json`` object (contract fields first, then extensions)."""
        return {
            "retirement_age": {"years": self.age_years, "months": self.age_months},
            "retirement_month": month_str(self.retirement_month),
            "minimum_contribution_months": self.minimum_contribution_months,
            "category": self.category,
            "birth_month": month_str(self.birth_month),
            "original_retirement_month": month_str(self.original_retirement_month),
            "delay_months": self.delay_months,
            "flexible_window": self.flexible.to_dict(),
            "explain": self.explain.to_dict(),
        }


def delay_months(birth_month: Month, category: str) -> int:
    """Months of delay (延迟月数) for a birth month in a category (``male``/``female55``/``female50``)."""
    cat = CATEGORIES[category]
    k = birth_month + cat.original_age_months - REFORM_START
    return 0 if k < 0 else min(k // cat.step + 1, cat.cap)


def retirement_month_for(birth_month: Month, category: str) -> Month:
    return birth_month + CATEGORIES[category].original_age_months + delay_months(birth_month, category)


def statutory_retirement(birth_month: Month, sex: str, category: str | None = None) -> RetirementResult:
    """The statutory retirement age and month, the minimum months and the flexible window.

    ``birth_month`` should be the archive birth date (档案出生日期) where there is one.
    """
    key = category_key(sex, category)
    cat = CATEGORIES[key]
    original = birth_month + cat.original_age_months
    k = original - REFORM_START
    delay = delay_months(birth_month, key)
    age = cat.original_age_months + delay
    retirement = birth_month + age
    minimum = minimum_contribution(year_of(retirement))
    window = FlexibleWindow(
        earliest=max(original, retirement - FLEXIBLE_MONTHS), latest=retirement + FLEXIBLE_MONTHS
    )

    ex = Explanation(
        rule="法定退休年龄（2024 年决定）：k = 2025-01 至原退休年月的月数；k < 0 时不延迟，"
        "否则延迟 min(k // 延迟步长 + 1, 最多延迟月数) 个月；退休年月 = 出生年月 + 新退休年龄",
        inputs={"birth_month": month_str(birth_month), "sex": sex, "category": category},
    )
    ex.param("category", f"{key}: {cat.label}", "人员记录中的性别和用工性质（工人/干部）")
    ex.param("original_age_years", cat.original_age_months // 12, "国发〔1978〕104号（原法定退休年龄）")
    ex.param("step_months", cat.step, DECISION_2024 + "，所附对照表")
    ex.param("cap_months", cat.cap, DECISION_2024)
    ex.param("reform_start", "2025-01", DECISION_2024)
    ex.step(
        f"原退休年月 {month_str(birth_month)} + {cat.original_age_months // 12} 年 = {month_str(original)}"
    )
    if k < 0:
        ex.step(f"{month_str(original)} 早于 2025-01：不延迟")
    else:
        ex.step(f"k = 自 2025-01 起 {k} 个月；延迟 = min({k} // {cat.step} + 1, {cat.cap}) = {delay} 个月")
    ex.step(f"新退休年龄 {age // 12} 岁 {age % 12} 个月；退休年月 {month_str(retirement)}")
    ex.step(f"{year_of(retirement)} 年最低缴费月数：{minimum.months} 个月")
    ex.step(
        f"弹性退休：最早 max({month_str(original)}（原退休年龄）, {month_str(retirement)} − 36) = "
        f"{month_str(window.earliest)}，须满足最低缴费年限；最晚 {month_str(window.latest)}，须单位同意"
    )
    ex.parameters.extend(minimum.explain.parameters)
    return RetirementResult(
        birth_month=birth_month,
        category=key,
        original_retirement_month=original,
        delay_months=delay,
        age_years=age // 12,
        age_months=age % 12,
        retirement_month=retirement,
        minimum_contribution_months=minimum.months,
        flexible=window,
        explain=ex,
    )


@dataclass(frozen=True)
class EarlyRetirement:
    possible: bool
    month: Month  # the month asked about
    contribution_months: int
    minimum_months: int
    reason: str  # ok / before_earliest / after_statutory / minimum_not_met
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "possible": self.possible,
            "month": month_str(self.month),
            "contribution_months": self.contribution_months,
            "minimum_contribution_months": self.minimum_months,
            "reason": self.reason,
            "explain": self.explain.to_dict(),
        }


def early_retirement(
    result: RetirementResult, paid_months: int, deemed_months: int, month: Month | None = None
) -> EarlyRetirement:
    """Whether the person may retire early (弹性提前退休) in ``month`` (default: the earliest).

    ``paid_months`` and ``deemed_months`` are counted as of that month.  The minimum is the
    one for the year of that month.
    """
    month = result.flexible.earliest if month is None else month
    total = paid_months + deemed_months
    minimum = minimum_months(year_of(month))
    ex = Explanation(
        rule="弹性提前退休：最多比法定退休年月提前 36 个月，不得早于原法定退休年龄，且须满足最低缴费年限",
        inputs={
            "month": month_str(month),
            "paid_months": paid_months,
            "deemed_months": deemed_months,
            "statutory_month": month_str(result.retirement_month),
        },
    )
    ex.param("minimum_months", minimum, DECISION_2024)
    if month < result.flexible.earliest:
        reason = "before_earliest"
        ex.step(f"{month_str(month)} 早于最早可退休年月 {month_str(result.flexible.earliest)}")
    elif month >= result.retirement_month:
        reason = "after_statutory"
        ex.step(f"{month_str(month)} 不早于法定退休年月：不属于提前退休")
    elif total < minimum:
        reason = "minimum_not_met"
        ex.step(f"{paid_months} + {deemed_months} = {total} 个月，低于最低缴费月数 {minimum}")
    else:
        reason = "ok"
        ex.step(f"{paid_months} + {deemed_months} = {total} 个月 ≥ {minimum}：可提前退休")
    return EarlyRetirement(reason == "ok", month, total, minimum, reason, ex)
