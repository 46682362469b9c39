"""Late fees (滞纳金) on contributions paid after they fell due.

0.05% of the amount per day since 2011-07-01 (社会保险法 第八十六条), 0.2% per day before under
the 1999 collection regulation; a span crossing a change of rate is split at it.  The rates,
the due day and the first-day convention are region policy (``[late_fee]``).

Days charged: from the due date up to and including the day of payment, the due date itself
only when ``first_day_counts``.  So with the default (false) the days are ``settle − due``:
due 2024-01-16, paid 2024-03-16 → 60 days.  Paid on or before the due date: nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.explain import Explanation, money
from shebao.rules.months import Month, month_of_year, month_str, year_of
from shebao.rules.policy import DEFAULT_LATE_FEE, LateFeeRules


@dataclass(frozen=True)
class FeeSpan:
    """Days charged at one daily rate."""

    first_day: dt.date
    last_day: dt.date
    days: int
    daily_rate: Decimal
    source: str

    def to_dict(self) -> dict:
        return {
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "days": self.days,
            "daily_rate": str(self.daily_rate),
            "source": self.source,
        }


@dataclass(frozen=True)
class LateFeeResult:
    amount: Decimal
    due: dt.date
    settle: dt.date
    days: int
    fee: Decimal  # rounded to 0.01
    spans: tuple[FeeSpan, ...]
    capped: bool
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "amount": str(money(self.amount)),
            "due": self.due.isoformat(),
            "settle": self.settle.isoformat(),
            "days": self.days,
            "fee": str(self.fee),
            "spans": [s.to_dict() for s in self.spans],
            "capped": self.capped,
            "explain": self.explain.to_dict(),
        }


OVER_PRINCIPAL_NOTE = (
    "滞纳金已超过欠缴本金；是否以本金为限（行政强制法第四十五条）由本地政策设定 late_fee.cap_at_principal"
)


def due_date(month: Month, rules: LateFeeRules = DEFAULT_LATE_FEE) -> dt.date:
    """The date the contribution for ``month`` falls due: day ``due_day`` of the following month."""
    following = month + 1
    return dt.date(year_of(following), month_of_year(following), rules.due_day)


def late_fee(
    amount: Decimal, due: dt.date, settle: dt.date, rules: LateFeeRules = DEFAULT_LATE_FEE
) -> LateFeeResult:
    """The late fee on ``amount`` due on ``due`` and paid (or to be settled) on ``settle``."""
    amount = Decimal(amount)
    if amount < 0:
        raise ValueError("欠缴金额不能为负")
    first = due if rules.first_day_counts else due + dt.timedelta(days=1)
    ex = Explanation(
        rule="滞纳金 = 欠缴金额 × Σ（天数 × 日滞纳金率），自缴费截止日起至缴纳之日（含）按日计算，"
        "日率变化处分段",
        inputs={"amount": str(amount), "due": due.isoformat(), "settle": settle.isoformat()},
    )
    ex.param("first_day_counts", rules.first_day_counts, rules.source)
    ex.param("cap_at_principal", rules.cap_at_principal, rules.source)
    for rate in rules.rates:
        since = f"since {rate.start.isoformat()}" if rate.start else "from the beginning"
        label = f"{rate.start.isoformat()} 起日滞纳金率" if rate.start else "日滞纳金率（最初）"
        ex.param(f"daily_rate {since}", rate.daily, rate.source, label=label)

    spans: list[FeeSpan] = []
    if settle >= first:
        for i, rate in enumerate(rules.rates):
            start = max(first, rate.start) if rate.start else first
            end = settle
            if i + 1 < len(rules.rates):
                end = min(end, rules.rates[i + 1].start - dt.timedelta(days=1))
            if start <= end:
                spans.append(FeeSpan(start, end, (end - start).days + 1, rate.daily, rate.source))
    days = sum(s.days for s in spans)
    raw = sum((amount * s.days * s.daily_rate for s in spans), Decimal(0))
    capped = False
    if rules.cap_at_principal and raw > amount:
        raw, capped = amount, True

    if not spans:
        ex.step(f"{settle.isoformat()} 缴纳，未超过缴费截止日 {due.isoformat()}：不计滞纳金")
    for s in spans:
        ex.step(
            f"{s.first_day.isoformat()} 至 {s.last_day.isoformat()}：{s.days} 天 × {s.daily_rate} × {amount}"
            f" = {amount * s.days * s.daily_rate}"
        )
    if capped:
        ex.step(f"超过欠缴本金，以本金 {amount} 为限")
    ex.step(f"滞纳金 {money(raw)}（{days} 天）")
    if rules.cap_at_principal:
        ex.note("本地政策设定滞纳金以欠缴本金为限（行政强制法第四十五条，late_fee.cap_at_principal = true）")
    else:
        ex.note("本地政策未设定滞纳金以欠缴本金为限（late_fee.cap_at_principal = false）")
        if raw > amount:
            ex.note(OVER_PRINCIPAL_NOTE)
    return LateFeeResult(amount, due, settle, days, money(raw), tuple(spans), capped, ex)


def month_late_fee(
    amount: Decimal, month: Month, settle: dt.date, rules: LateFeeRules = DEFAULT_LATE_FEE
) -> LateFeeResult:
    """:func:`late_fee` for the contribution of ``month``, due per :func:`due_date`."""
    result = late_fee(amount, due_date(month, rules), settle, rules)
    result.explain.inputs["month"] = month_str(month)
    result.explain.steps.insert(0, f"{month_str(month)} 的缴费于次月 {rules.due_day} 日截止")
    return result
