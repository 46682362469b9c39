"""Employer arrears (欠缴) and their late fees, per employer, person and month.

For each month owed: base × (employer rate + personal rate of that month, from the policy's
rate periods), and the late fee from the month's due date to the settlement date.  The base
is the declared base (申报基数) when known, else the person's base in the nearest paid month at
that employer, else the region's minimum base for that year (60% of the average wage); the
explanation says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.explain import Explanation, money
from shebao.rules.late_fee import OVER_PRINCIPAL_NOTE, LateFeeResult, month_late_fee
from shebao.rules.months import Month, month_str, year_of
from shebao.rules.policy import RegionPolicy, minimum_base


@dataclass(frozen=True)
class OwedMonth:
    """A month an employer owes for a person (employed, nothing paid)."""

    person: str  # the person's key (ID number)
    employer: str
    month: Month
    declared_base: Decimal | None = None  # 申报基数, when a declaration shows it


@dataclass(frozen=True)
class PaidRecord:
    """A paid month with its base, as the records show it (employer None: flexible or unknown)."""

    person: str
    employer: str | None
    month: Month
    base: Decimal | None


@dataclass(frozen=True)
class ArrearsLine:
    person: str
    employer: str
    month: Month
    base: Decimal
    base_source: str  # declared / nearest_paid / minimum_base
    employer_rate: Decimal
    personal_rate: Decimal
    amount: Decimal  # rounded
    late_fee: LateFeeResult | None
    explain: Explanation = field(compare=False)

    @property
    def fee(self) -> Decimal:
        return self.late_fee.fee if self.late_fee else Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.amount + self.fee

    def to_dict(self) -> dict:
        return {
            "person": self.person,
            "employer": self.employer,
            "month": month_str(self.month),
            "base": str(money(self.base)),
            "base_source": self.base_source,
            "employer_rate": str(self.employer_rate),
            "personal_rate": str(self.personal_rate),
            "amount": str(self.amount),
            "due": self.late_fee.due.isoformat() if self.late_fee else None,
            "late_fee_days": self.late_fee.days if self.late_fee else 0,
            "late_fee": str(self.fee),
            "total": str(self.total),
            "explain": self.explain.to_dict(),
        }


@dataclass(frozen=True)
class Totals:
    months: int
    amount: Decimal
    late_fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.amount + self.late_fee

    def to_dict(self) -> dict:
        return {
            "months": self.months,
            "amount": str(self.amount),
            "late_fee": str(self.late_fee),
            "total": str(self.total),
        }


@dataclass(frozen=True)
class ArrearsReport:
    lines: tuple[ArrearsLine, ...]  # by employer, person, month
    by_employer: dict[str, Totals]
    by_person: dict[tuple[str, str], Totals]  # (employer, person)
    total: Totals
    settle: dt.date | None
    explain: Explanation = field(compare=False)

    def to_dict(self) -> dict:
        return {
            "settle": self.settle.isoformat() if self.settle else None,
            "lines": [line.to_dict() for line in self.lines],
            "employers": [{"employer": e, **t.to_dict()} for e, t in self.by_employer.items()],
            "persons": [{"employer": e, "person": p, **t.to_dict()} for (e, p), t in self.by_person.items()],
            "total": self.total.to_dict(),
            "explain": self.explain.to_dict(),
        }


def sum_lines(lines: Iterable[ArrearsLine]) -> Totals:
    lines = list(lines)
    return Totals(
        len(lines),
        sum((x.amount for x in lines), Decimal("0.00")),
        sum((x.fee for x in lines), Decimal("0.00")),
    )


def month_base(
    person: str,
    employer: str | None,
    month: Month,
    declared: Decimal | None,
    paid: Iterable[PaidRecord],
    policy: RegionPolicy,
) -> tuple[Decimal, str, str]:
    """(base, kind, how) for a month owed: declared, else nearest paid at the employer, else minimum."""
    if declared is not None:
        return Decimal(declared), "declared", f"申报基数 {declared}"
    candidates = [
        r for r in paid if r.person == person and r.employer == employer and r.base is not None and employer
    ]
    if candidates:
        # the nearest month; on a tie the earlier (the base in force before the gap)
        nearest = min(candidates, key=lambda r: (abs(r.month - month), r.month))
        return (
            Decimal(nearest.base),
            "nearest_paid",
            f"无申报基数：按在{employer}最近缴费月 {month_str(nearest.month)} 的基数 {nearest.base}",
        )
    base, how = minimum_base(policy, year_of(month))
    return (
        base,
        "minimum_base",
        f"无申报基数，且在该单位没有缴费月：按最低缴费基数 {how}",
    )


def arrears(
    owed: Iterable[OwedMonth],
    paid: Iterable[PaidRecord],
    policy: RegionPolicy,
    settle: dt.date | None = None,
) -> ArrearsReport:
    """Amounts owed per employer, person and month, with late fees up to ``settle`` (None: no fees)."""
    paid = list(paid)
    lines: list[ArrearsLine] = []
    chosen: dict[tuple[str, str, Month], OwedMonth] = {}
    for item in owed:  # a month owed counts once; a declared base wins over none
        key = (item.employer, item.person, item.month)
        if key not in chosen or (chosen[key].declared_base is None and item.declared_base is not None):
            chosen[key] = item
    for key in sorted(chosen):
        lines.append(owed_line(chosen[key], paid, policy, settle))
    by_employer = {
        e: sum_lines(x for x in lines if x.employer == e) for e in dict.fromkeys(x.employer for x in lines)
    }
    by_person = {
        key: sum_lines(x for x in lines if (x.employer, x.person) == key)
        for key in dict.fromkeys((x.employer, x.person) for x in lines)
    }
    ex = Explanation(
        rule="欠缴 = 每个欠缴月的缴费基数 × (单位费率 + 个人费率)；滞纳金自各月缴费截止日计至结算日",
        inputs={"months_owed": len(lines), "settle": settle.isoformat() if settle else None},
    )
    ex.param("due_day", policy.late_fee.due_day, policy.late_fee.source)
    if settle is None:
        ex.note("未给出结算日期：不计算滞纳金")
    else:
        ex.param("cap_at_principal", policy.late_fee.cap_at_principal, policy.late_fee.source)
        ex.note(
            "本地政策设定滞纳金以欠缴本金为限（行政强制法第四十五条）"
            if policy.late_fee.cap_at_principal
            else "本地政策未设定滞纳金以欠缴本金为限（late_fee.cap_at_principal = false）"
        )
        over = [x for x in lines if x.late_fee is not None and x.late_fee.fee > x.amount]
        if over and not policy.late_fee.cap_at_principal:
            ex.note(f"{len(over)} 个月的" + OVER_PRINCIPAL_NOTE)
    kinds = {
        k: sum(1 for x in lines if x.base_source == k) for k in ("declared", "nearest_paid", "minimum_base")
    }
    ex.step(
        f"缴费基数：申报基数 {kinds['declared']} 个月，按最近缴费月基数 {kinds['nearest_paid']} 个月，"
        f"按本地区最低缴费基数 {kinds['minimum_base']} 个月"
    )
    return ArrearsReport(tuple(lines), by_employer, by_person, sum_lines(lines), settle, ex)


def owed_line(
    item: OwedMonth, paid: list[PaidRecord], policy: RegionPolicy, settle: dt.date | None
) -> ArrearsLine:
    base, kind, how = month_base(item.person, item.employer, item.month, item.declared_base, paid, policy)
    period = policy.rate_period(item.month)
    raw = base * (period.employer + period.personal)
    amount = money(raw)
    ex = Explanation(
        rule="应缴 = 缴费基数 × (单位费率 + 个人费率)",
        inputs={"person": item.person, "employer": item.employer, "month": month_str(item.month)},
    )
    ex.param("base", base, how)
    ex.param("employer_rate", period.employer, period.source)
    ex.param("personal_rate", period.personal, period.source)
    if item.month < period.start:
        ex.note(f"政策未设 {month_str(period.start)} 以前的费率：按最早的费率计")
    ex.step(f"{base} × ({period.employer} + {period.personal}) = {raw} → {amount}")
    fee = None
    if settle is not None:
        # the fee runs on the amount before rounding; the figure itself is rounded once
        fee = month_late_fee(raw, item.month, settle, policy.late_fee)
        ex.steps.extend(fee.explain.steps)
        ex.parameters.extend(fee.explain.parameters)
        for note in fee.explain.notes:
            ex.note(note)
    return ArrearsLine(
        item.person, item.employer, item.month, base, kind, period.employer, period.personal, amount, fee, ex
    )
