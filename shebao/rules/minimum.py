"""Minimum contribution months (最低缴费年限) and contribution years (缴费年限).

Under the 2024 NPC Standing Committee decision the minimum for a monthly pension is 180
months (15 years) up to retirement year 2029, then 6 months more each year from 2030,
reaching 240 months (20 years) in 2039.  The year is the year the retirement age is reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shebao.rules.explain import Explanation
from shebao.rules.months import Month, month_str

DECISION_2024 = "全国人大常委会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, in force 2025-01-01)"
BASE_MONTHS = 180  # 15 years, the minimum before the reform (国发〔1997〕26号, 社会保险法 第十六条)
FIRST_RISING_YEAR = 2030
STEP_MONTHS = 6
CAP_MONTHS = 240


@dataclass(frozen=True)
class MinimumResult:
    retirement_year: int
    months: int  # 最低缴费月数
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "retirement_year": self.retirement_year,
            "months": self.months,
            "explain": self.explain.to_dict(),
        }


def minimum_months(retirement_year: int) -> int:
    """The minimum contribution months for a pension when retirement age is reached in that year."""
    if retirement_year < FIRST_RISING_YEAR:
        return BASE_MONTHS
    return min(BASE_MONTHS + STEP_MONTHS * (retirement_year - FIRST_RISING_YEAR + 1), CAP_MONTHS)


def minimum_contribution(retirement_year: int) -> MinimumResult:
    """:func:`minimum_months` with its explanation."""
    months = minimum_months(retirement_year)
    ex = Explanation(
        rule="最低缴费年限：退休年份在 2029 年及以前为 180 个月；自 2030 年起每年增加 6 个月，2039 年起为 240 个月",
        inputs={"retirement_year": retirement_year},
    )
    ex.param("minimum_base_months", BASE_MONTHS, "社会保险法 第十六条（15 年）")
    ex.param("minimum_step_months_per_year_from_2030", STEP_MONTHS, DECISION_2024)
    ex.param("minimum_cap_months", CAP_MONTHS, DECISION_2024)
    if retirement_year < FIRST_RISING_YEAR:
        ex.step(f"{retirement_year} 年早于 2030 年：{BASE_MONTHS} 个月")
    else:
        raised = BASE_MONTHS + STEP_MONTHS * (retirement_year - FIRST_RISING_YEAR + 1)
        ex.step(f"{BASE_MONTHS} + {STEP_MONTHS} × ({retirement_year} − 2029) = {raised} 个月")
        if raised > CAP_MONTHS:
            ex.step(f"以 {CAP_MONTHS} 个月为上限")
    return MinimumResult(retirement_year, months, ex)


@dataclass(frozen=True)
class ContributionTotal:
    """Contribution months (缴费月数) as of a month: paid months plus deemed months (视同缴费)."""

    paid_months: int
    deemed_months: int
    as_of: Month | None
    explain: Explanation = field(compare=False)

    @property
    def total(self) -> int:
        return self.paid_months + self.deemed_months

    @property
    def years(self) -> tuple[int, int]:
        """(years, months) as a clerk writes it: 12 years 7 months."""
        return divmod(self.total, 12)

    def to_dict(self) -> dict:
        return {
            "paid_months": self.paid_months,
            "deemed_months": self.deemed_months,
            "total_months": self.total,
            "as_of": month_str(self.as_of) if self.as_of is not None else None,
            "explain": self.explain.to_dict(),
        }


def contribution_total(
    paid: Iterable[Month], deemed_months: int, as_of: Month | None = None
) -> ContributionTotal:
    """Paid months (each counted once, none after ``as_of``) plus deemed months."""
    if deemed_months < 0:
        raise ValueError("视同缴费月数不能为负")
    months = {m for m in paid if as_of is None or m <= as_of}
    ex = Explanation(
        rule="缴费年限 = 实缴月数（不重复计）+ 视同缴费月数（统筹起始前）；中断前后和跨地区的缴费年限累计计算"
        "（社会保险法 第十九条）",
        inputs={"as_of": month_str(as_of) if as_of is not None else None, "deemed_months": deemed_months},
    )
    ex.step(f"实缴 {len(months)} 个月 + 视同缴费 {deemed_months} 个月 = {len(months) + deemed_months} 个月")
    return ContributionTotal(len(months), deemed_months, as_of, ex)
