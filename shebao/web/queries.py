"""Reads the web UI needs beside ``people.selectors``: the rows behind a period or a conflict.

Months are ordinals (``shebao.rules.months``).  A payment row covers months as
follows: ``annual`` rows ``data.start``–``data.end``, ``backpay`` rows ``data.month``,
``card`` rows every ``[start, end]`` pair in ``data.ranges``.
"""

from __future__ import annotations

from collections.abc import Iterable

from shebao.contributions.models import SourceRow
from shebao.people.models import Person
from shebao.rules.months import Month

PAYMENT_KINDS = ("annual", "backpay", "card")


def row_runs(kind: str, data: dict) -> list[tuple[Month, Month]]:
    """The runs of months a payment row records as paid (empty for other rows)."""
    try:
        if kind == "annual":
            return [(int(data["start"]), int(data["end"]))]
        if kind == "backpay":
            return [(int(data["month"]), int(data["month"]))]
        if kind == "card":
            return [(int(a), int(b)) for a, b in data.get("ranges") or []]
    except (KeyError, TypeError, ValueError):
        return []
    return []


def _overlaps(runs: Iterable[tuple[Month, Month]], start: Month, end: Month) -> bool:
    return any(a <= end and b >= start for a, b in runs)


def _payment_rows(person: Person):
    return (
        SourceRow.objects.filter(person=person, status=SourceRow.Status.ACCEPTED, kind__in=PAYMENT_KINDS)
        .select_related("source_file")
        .order_by("source_file__path", "sheet", "row")
    )


def rows_for_period(person: Person, start: Month, end: Month) -> list[int]:
    """Ids of the accepted payment rows of ``person`` whose months overlap ``start``–``end``."""
    return [r.pk for r in _payment_rows(person) if _overlaps(row_runs(r.kind, r.data), start, end)]


def rows_for_periods(person: Person, periods: list[tuple[Month, Month]]) -> list[list[SourceRow]]:
    """For each (start, end), the accepted payment rows overlapping it; one query for all."""
    rows = [(r, row_runs(r.kind, r.data)) for r in _payment_rows(person)]
    return [[r for r, runs in rows if _overlaps(runs, start, end)] for start, end in periods]


def rows_by_reference(person: Person) -> dict[str, SourceRow]:
    """The person's evidence rows keyed by ``file:sheet:row`` (how conflicts name their sources)."""
    rows = SourceRow.objects.filter(person=person).select_related("source_file")
    return {r.reference: r for r in rows}
