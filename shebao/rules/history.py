"""One person's contribution history, as of a month: the definitions of the contract.

Pure functions over plain records (no Django), so that the CLI, the web UI, the
batch job and, at scale, Spark compute exactly the same figures.  The terms follow
`spec/contribution-history.md`:

- paid month (实缴月份): a month for which any accepted row of any source records a
  payment; it counts once however many sources or employers record it;
- gaps (断缴): maximal runs of unpaid months strictly between the first and last paid month;
- interrupted_since (中断起始): the month after the last paid one, unless that is after as-of;
- employment (在职): a roster row's 入厂 month up to, not including, its 离厂 month;
- deemed_months (视同缴费月数): months before pooling_start in which a roster shows employment;
- arrears_months (欠缴月数): per employer, months at or after pooling_start employed there
  with no payment recorded by any source;
- double_paid (重复缴费): a month recorded as paid by two different payers;
- periods (缴费期间): maximal runs of paid months with the same employer and base.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shebao.rules.months import Month, Run, gaps_between, runs

FLEXIBLE_PAYER = "灵活就业"  # how a flexible worker's own payment is named among payers

# Which source decides a month's employer and base, best first: the annual table
# states both; a back-payment breakdown states both but later; a card states neither.
_ATTRIBUTION_RANK = {"annual": 0, "backpay": 1, "card": 2}


@dataclass(frozen=True, slots=True)
class PaidRecord:
    """One source's statement that a month was paid (缴费记录)."""

    month: Month
    kind: str  # annual | backpay | card
    employer: str | None = None  # None: unknown (card) or flexible worker
    base: Decimal | None = None  # 月缴费基数
    flexible: bool = False  # 灵活就业人员: paid by the person, no employer
    source: int | str | None = None  # the evidence row behind it


@dataclass(frozen=True, slots=True)
class EmploymentSpan:
    """Employment proven by a roster row (花名册): months ``start``..``end``, both included."""

    employer: str
    start: Month
    end: Month
    source: int | str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A maximal run of paid months with the same employer, base and flexible flag."""

    start: Month
    end: Month
    employer: str | None
    base: Decimal | None
    flexible: bool
    sources: tuple[str, ...]  # source kinds behind its months, in the order annual, backpay, card

    @property
    def months(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True, slots=True)
class DoublePaid:
    month: Month
    payers: tuple[str, ...]


@dataclass
class HistorySummary:
    as_of: Month
    paid_months: int  # contribution_months.pension
    first_paid: Month | None
    last_paid: Month | None
    gaps: list[Run]
    interrupted_since: Month | None
    deemed_months: int  # 视同缴费月数
    arrears_months: dict[str, int]  # employer -> 欠缴月数
    double_paid: list[DoublePaid]
    periods: list[Period]
    paid: frozenset[Month] = field(repr=False, default=frozenset())


def employment_span(
    employer: str, entry: Month | None, leave: Month | None, reporting: Month | None, source=None
) -> EmploymentSpan | None:
    """The employment a roster row proves, or None when it proves none.

    No 入厂 month proves nothing; no 离厂 month runs to the roster's reporting month,
    and a roster with no reporting month then proves no employment at all.
    """
    if entry is None:
        return None
    if leave is not None:
        end = leave - 1
    elif reporting is not None:
        end = reporting
    else:
        return None
    if end < entry:
        return None
    return EmploymentSpan(employer, entry, end, source)


def _payer(record: PaidRecord) -> str | None:
    if record.flexible:
        return FLEXIBLE_PAYER
    return record.employer


def build_periods(records: Iterable[PaidRecord]) -> tuple[list[Period], list[DoublePaid]]:
    """Periods and double-paid months from every paid record (no as-of cut)."""
    by_month: dict[Month, list[PaidRecord]] = defaultdict(list)
    for record in records:
        by_month[record.month].append(record)

    double_paid: list[DoublePaid] = []
    attributed: list[tuple[Month, str | None, Decimal | None, bool, frozenset[str]]] = []
    for month in sorted(by_month):
        month_records = by_month[month]
        payers = sorted({p for p in map(_payer, month_records) if p})
        if len(payers) > 1:
            double_paid.append(DoublePaid(month, tuple(payers)))
        # The best-ranked source decides; among equals, an employer before a flexible
        # payment, then by name and base, so that the choice never depends on input order.
        best = min(
            month_records,
            key=lambda r: (
                _ATTRIBUTION_RANK.get(r.kind, 9),
                r.flexible,
                r.employer or "",
                r.base if r.base is not None else Decimal(0),
            ),
        )
        kinds = frozenset(r.kind for r in month_records)
        employer = None if best.flexible or best.kind == "card" else best.employer
        base = None if best.kind == "card" else best.base
        attributed.append((month, employer, base, best.flexible, kinds))

    periods: list[Period] = []
    current: list | None = None  # [start, end, employer, base, flexible, kinds]
    for month, employer, base, flexible, kinds in attributed:
        if current and month == current[1] + 1 and (employer, base, flexible) == tuple(current[2:5]):
            current[1] = month
            current[5] |= kinds
            continue
        if current:
            periods.append(_period(current))
        current = [month, month, employer, base, flexible, set(kinds)]
    if current:
        periods.append(_period(current))
    return periods, double_paid


def _period(current: list) -> Period:
    start, end, employer, base, flexible, kinds = current
    ordered = tuple(sorted(kinds, key=lambda k: _ATTRIBUTION_RANK.get(k, 9)))
    return Period(start, end, employer, base, flexible, ordered)


def cut_periods(periods: Iterable[Period], as_of: Month) -> list[Period]:
    """Periods with the months after ``as_of`` left out."""
    result = []
    for period in periods:
        if period.start > as_of:
            continue
        if period.end > as_of:
            period = Period(
                period.start, as_of, period.employer, period.base, period.flexible, period.sources
            )
        result.append(period)
    return result


def summarise(
    periods: Iterable[Period],
    spans: Iterable[EmploymentSpan],
    pooling_start: Month,
    as_of: Month,
    double_paid: Iterable[DoublePaid] = (),
) -> HistorySummary:
    """Every figure of the contract, as of ``as_of`` (later months are left out of all of them)."""
    kept = cut_periods(periods, as_of)
    paid = frozenset(month for period in kept for month in range(period.start, period.end + 1))
    first_paid = min(paid) if paid else None
    last_paid = max(paid) if paid else None
    interrupted_since = last_paid + 1 if last_paid is not None and last_paid + 1 <= as_of else None

    spans = list(spans)
    arrears = {
        employer: len(months)
        for employer, months in unpaid_employment(spans, paid, pooling_start, as_of).items()
    }
    return HistorySummary(
        as_of=as_of,
        paid_months=len(paid),
        first_paid=first_paid,
        last_paid=last_paid,
        gaps=gaps_between(paid),
        interrupted_since=interrupted_since,
        deemed_months=len(deemed_months(spans, pooling_start, as_of)),
        arrears_months=arrears,
        double_paid=[d for d in double_paid if d.month <= as_of],
        periods=kept,
        paid=paid,
    )


def deemed_months(spans: Iterable[EmploymentSpan], pooling_start: Month, as_of: Month) -> set[Month]:
    """Months before pooling_start in which any roster shows employment (视同缴费月份)."""
    return {m for span in spans for m in range(span.start, min(span.end, as_of, pooling_start - 1) + 1)}


def unpaid_employment(
    spans: Iterable[EmploymentSpan], paid: frozenset[Month], pooling_start: Month, as_of: Month
) -> dict[str, set[Month]]:
    """Per employer, the arrears months (欠缴月份): employed there from pooling_start to as_of, nothing paid."""
    employed_by: dict[str, set[Month]] = defaultdict(set)
    for span in spans:
        employed_by[span.employer].update(
            m for m in range(max(span.start, pooling_start), min(span.end, as_of) + 1) if m not in paid
        )
    return {employer: months for employer, months in sorted(employed_by.items()) if months}


def arrears_runs(spans: Iterable[EmploymentSpan], paid: frozenset[Month], pooling_start: Month, as_of: Month):
    """The arrears months themselves, as runs per employer (for timelines and breakdowns)."""
    return {
        employer: runs(months)
        for employer, months in unpaid_employment(spans, paid, pooling_start, as_of).items()
    }
