"""Unemployment benefit duration (失业保险金领取期限), 失业保险条例 第十四条、第十七条.

Contribution months before unemployment: < 12 → not eligible; 12–59 → up to 12 months;
60–119 → up to 18; ≥ 120 → up to 24.  Months not drawn in a previous spell may be added,
24 at most.  The months counted are unemployment-insurance months, not pension months.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shebao.rules.explain import Explanation

REGULATION = "失业保险条例 (国务院令第258号, 1999)"
CAP_MONTHS = 24
BANDS = ((12, 12), (60, 18), (120, 24))  # (from contribution months, benefit months)


@dataclass(frozen=True)
class UnemploymentResult:
    eligible: bool
    months: int  # total benefit months, carried-over months included
    from_contributions: int
    carried_over_used: int
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "months": self.months,
            "from_contributions": self.from_contributions,
            "carried_over_used": self.carried_over_used,
            "explain": self.explain.to_dict(),
        }


def unemployment_benefit_months(contribution_months: int, carried_over: int = 0) -> UnemploymentResult:
    """Maximum benefit months from unemployment-insurance contribution months, with carried-over months."""
    if contribution_months < 0 or carried_over < 0:
        raise ValueError("月数不能为负")
    ex = Explanation(
        rule="缴费不满 12 个月：不能领取；12–59 个月：12 个月；60–119 个月：18 个月；120 个月及以上：24 个月；"
        "可与前次失业应领而尚未领取的月数合并计算，最长 24 个月",
        inputs={"contribution_months": contribution_months, "carried_over": carried_over},
    )
    ex.param("bands", "12→12, 60→18, 120→24", REGULATION + " 第十七条")
    ex.param("cap_months", CAP_MONTHS, REGULATION + " 第十七条")
    base = 0
    for threshold, months in BANDS:
        if contribution_months >= threshold:
            base = months
    if base == 0:
        ex.step(f"缴费 {contribution_months} 个月，不满一年：不能领取（第十四条）")
        if carried_over:
            ex.note("重新就业后缴费不满一年，前次未领取的月数不能领取")
        return UnemploymentResult(False, 0, 0, 0, ex)
    total = min(base + carried_over, CAP_MONTHS)
    ex.step(f"缴费 {contribution_months} 个月：可领 {base} 个月")
    if carried_over:
        ex.step(
            f"{base} + 前次未领 {carried_over} = {base + carried_over}，最长 {CAP_MONTHS} 个月：{total} 个月"
        )
    return UnemploymentResult(True, total, base, total - base, ex)
