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
        raise ValueError("amount must not be negative")
    first = due if rules.first_day_counts else due + dt.timedelta(days=1)
    ex = Explanation(
        rule="滞纳金 = amount × Σ (days × daily rate), days from the due date up to and including the day "
        "of payment, split where the daily rate changes",
        inputs={"amount": str(amount), "due": due.isoformat(), "settle": settle.isoformat()},
    )
    ex.param("first_day_counts", rules.first_day_counts, rules.source)
    for rate in rules.rates:
        since = f"since {rate.start.isoformat()}" if rate.start else "from the beginning"
        ex.param(f"daily_rate {since}", rate.daily, rate.source)

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
        ex.param("cap_at_principal", True, rules.source)
        raw, capped = amount, True

    if not spans:
        ex.step(f"paid on {settle.isoformat()}, not after the due date {due.isoformat()}: no late fee")
    for s in spans:
        ex.step(
            f"{s.first_day.isoformat()} to {s.last_day.isoformat()}: {s.days} days × {s.daily_rate} × {amount}"
            f" = {amount * s.days * s.daily_rate}"
        )
    if capped:
        ex.step(f"capped at the amount owed, {amount}")
    ex.step(f"late fee {money(raw)} ({days} days)")
    return LateFeeResult(amount, due, settle, days, money(raw), tuple(spans), capped, ex)


def month_late_fee(
    amount: Decimal, month: Month, settle: dt.date, rules: LateFeeRules = DEFAULT_LATE_FEE
) -> LateFeeResult:
    """:func:`late_fee` for the contribution of ``month``, due per :func:`due_date`."""
    result = late_fee(amount, due_date(month, rules), settle, rules)
    result.explain.inputs["month"] = month_str(month)
    result.explain.steps.insert(
        0, f"contribution for {month_str(month)} due on day {rules.due_day} of the following month"
    )
    return result
