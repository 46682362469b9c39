"""Back-payment eligibility (补缴资格): which months a person may still pay for, with amounts.

Region policy (``[backpay]``): employees may back-pay months of documented employment that
have no payment (the employer owes them); flexible workers may not pay for past months unless
the region allows it; nothing before ``earliest_month`` (default 1995-01, the Labour Law) nor
before the pooling start; nothing after the retirement month (a shortfall at retirement age
is a continuation question, not a back-payment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.arrears import ArrearsLine, OwedMonth, PaidRecord, owed_line, sum_lines
from shebao.rules.explain import Explanation, money
from shebao.rules.months import Month, month_str, year_of
from shebao.rules.policy import RegionPolicy, minimum_base

REFUSAL_LABELS = {
    "before_earliest_month": "早于最早可补缴年月",
    "after_retirement": "晚于退休年月",
    "flexible_past_month": "灵活就业人员的以往月份",
}


@dataclass(frozen=True)
class EmploymentPeriod:
    """A documented period (both ends included): employment, or flexible work when employer is None."""

    employer: str | None
    start: Month
    end: Month


@dataclass(frozen=True)
class FlexibleLine:
    """A past month a flexible worker may pay for (only where the region allows it)."""

    month: Month
    base: Decimal
    rate: Decimal
    amount: Decimal

    def to_dict(self) -> dict:
        return {
            "month": month_str(self.month),
            "base": str(money(self.base)),
            "rate": str(self.rate),
            "amount": str(self.amount),
        }


@dataclass(frozen=True)
class BackpayResult:
    person: str
    employee_lines: tuple[ArrearsLine, ...]
    flexible_lines: tuple[FlexibleLine, ...]
    refused: dict[str, int]  # reason -> months not eligible
    total: Decimal  # contributions (and late fees when a settlement date is given)
    explain: Explanation = field(compare=False)

    @property
    def months(self) -> list[Month]:
        return sorted([x.month for x in self.employee_lines] + [x.month for x in self.flexible_lines])

    def to_dict(self) -> dict:
        return {
            "person": self.person,
            "eligible_months": len(self.months),
            "employee": [x.to_dict() for x in self.employee_lines],
            "flexible": [x.to_dict() for x in self.flexible_lines],
            "not_eligible": dict(self.refused),
            "total": str(self.total),
            "explain": self.explain.to_dict(),
        }


def backpay_eligibility(
    person: str,
    periods: Iterable[EmploymentPeriod],
    paid: Iterable[PaidRecord],
    policy: RegionPolicy,
    as_of: Month,
    *,
    retirement_month: Month | None = None,
    settle: dt.date | None = None,
    flexible_base_ratio: Decimal = Decimal("0.60"),
) -> BackpayResult:
    """Months ``person`` may still pay for up to ``as_of`` (the last month due), with amounts.

    Employee months are priced like arrears (base × employer + personal rate, late fees up to
    ``settle``); flexible months, where allowed, at ``flexible_base_ratio`` × the average wage.
    """
    rules = policy.backpay
    paid = list(paid)
    paid_months = {r.month for r in paid if r.person == person}
    earliest = max(rules.earliest_month, policy.pooling_start)
    ex = Explanation(
        rule="补缴：职工可补缴有用工记录而未缴费的月份；灵活就业人员除本地区允许外不得补缴以往月份；"
        "最早可补缴年月以前及退休年月以后的月份均不可补缴",
        inputs={
            "person": person,
            "as_of": month_str(as_of),
            "retirement_month": month_str(retirement_month) if retirement_month is not None else None,
        },
    )
    ex.param("earliest_month", month_str(rules.earliest_month), rules.source)
    ex.param("pooling_start", month_str(policy.pooling_start), policy.source)
    ex.param("flexible_past_months", rules.flexible_past_months, rules.source)

    refused: dict[str, int] = {}
    employee: dict[Month, str] = {}
    flexible: set[Month] = set()
    for period in periods:
        for month in range(period.start, period.end + 1):
            if month > as_of or month in paid_months or month in employee or month in flexible:
                continue  # future, paid, or already counted under another period
            reason = None
            if month < earliest:
                reason = "before_earliest_month"
            elif retirement_month is not None and month > retirement_month:
                reason = "after_retirement"
            elif period.employer is None and not rules.flexible_past_months:
                reason = "flexible_past_month"
            if reason:
                refused[reason] = refused.get(reason, 0) + 1
            elif period.employer is None:
                flexible.add(month)
            else:
                employee[month] = period.employer

    lines = tuple(
        sorted(
            (owed_line(OwedMonth(person, e, m), paid, policy, settle) for m, e in employee.items()),
            key=lambda x: x.month,
        )
    )
    flex_lines = []
    for month in sorted(flexible):
        base_min, _ = minimum_base(policy, year_of(month))
        base = base_min / policy.base_limits.lower * flexible_base_ratio
        flex_lines.append(FlexibleLine(month, base, policy.flexible.rate, money(base * policy.flexible.rate)))
    if flex_lines:
        ex.param("flexible_rate", policy.flexible.rate, policy.flexible.source)
        ex.step(f"灵活就业月份按当年社会平均工资的 {flexible_base_ratio} 倍计")
    totals = sum_lines(lines)
    total = totals.total + sum((x.amount for x in flex_lines), Decimal("0.00"))
    ex.step(f"可补缴：职工月份 {len(lines)} 个，灵活就业月份 {len(flex_lines)} 个；合计 {total} 元")
    for reason, count in sorted(refused.items()):
        ex.step(f"{count} 个月不可补缴：{REFUSAL_LABELS.get(reason, reason)}")
    if settle is None and lines:
        ex.note("未给出结算日期：未计滞纳金")
    return BackpayResult(person, lines, tuple(flex_lines), refused, total, ex)
