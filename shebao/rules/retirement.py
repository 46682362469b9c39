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
    "male": Category("male", "男职工 (original age 60)", 60 * 12, 4, 36),
    "female55": Category(
        "female55", "原法定退休年龄为55周岁的女职工 (cadre, managerial or technical post)", 55 * 12, 4, 36
    ),
    "female50": Category("female50", "原法定退休年龄为50周岁的女职工 (worker post)", 50 * 12, 2, 60),
}


def category_key(sex: str, category: str | None) -> str:
    """``male`` / ``female55`` / ``female50`` from sex and post category (工人 / 干部).

    For women the post decides the original age and cannot be derived from the ID number, so
    it is required.  For men it is not used.
    """
    if sex == "M":
        return "male"
    if sex != "F":
        raise RetirementError("bad_sex", f"sex must be M or F, got {sex!r}")
    if category is None:
        raise RetirementError(
            "category_required",
            "for a woman the post category is required: worker (工人, original age 50) or "
            "cadre (干部 / managerial or technical post, original age 55)",
        )
    if category == "worker":
        return "female50"
    if category == "cadre":
        return "female55"
    raise RetirementError("bad_category", f"category must be worker or cadre, got {category!r}")


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
        rule="法定退休年龄 (2024 decision): delay = 0 if k < 0 else min(k // step + 1, cap), k = months from "
        "2025-01 to the original retirement month; retirement month = birth month + new age",
        inputs={"birth_month": month_str(birth_month), "sex": sex, "category": category},
    )
    ex.param("category", f"{key}: {cat.label}", "sex and post category (工人/干部) from the person's record")
    ex.param(
        "original_age_years", cat.original_age_months // 12, "国发〔1978〕104号 (original statutory ages)"
    )
    ex.param("step_months", cat.step, DECISION_2024 + ", attached conversion table")
    ex.param("cap_months", cat.cap, DECISION_2024)
    ex.param("reform_start", "2025-01", DECISION_2024)
    ex.step(
        f"original retirement month {month_str(birth_month)} + {cat.original_age_months // 12} years = "
        f"{month_str(original)}"
    )
    if k < 0:
        ex.step(f"{month_str(original)} is before 2025-01: no delay")
    else:
        ex.step(
            f"k = {k} months from 2025-01; delay = min({k} // {cat.step} + 1, {cat.cap}) = {delay} months"
        )
    ex.step(f"new age {age // 12} years {age % 12} months; retirement month {month_str(retirement)}")
    ex.step(f"minimum contribution for {year_of(retirement)}: {minimum.months} months")
    ex.step(
        f"flexible window: earliest max({month_str(original)} (original age), {month_str(retirement)} − 36) = "
        f"{month_str(window.earliest)}, only with the minimum met; latest {month_str(window.latest)} "
        "with the employer's agreement"
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
        rule="弹性提前退休: at most 36 months before the statutory month, never before the original age, "
        "and only with the minimum contribution met",
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
        ex.step(f"{month_str(month)} is before the earliest month {month_str(result.flexible.earliest)}")
    elif month >= result.retirement_month:
        reason = "after_statutory"
        ex.step(f"{month_str(month)} is not before the statutory month: not early retirement")
    elif total < minimum:
        reason = "minimum_not_met"
        ex.step(f"{paid_months} + {deemed_months} = {total} months, below the minimum {minimum}")
    else:
        reason = "ok"
        ex.step(f"{paid_months} + {deemed_months} = {total} months ≥ {minimum}: early retirement possible")
    return EarlyRetirement(reason == "ok", month, total, minimum, reason, ex)
