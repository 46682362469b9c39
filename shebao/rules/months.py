"""Calendar months as whole numbers, and runs of them.

A month is stored and computed as an ordinal: ``year * 12 + (month - 1)``, so that
"the next month" is ``+ 1`` and a run of months is a pair of ordinals.  Every module
of shebao uses these ordinals; text is ``YYYY-MM`` only at the edges (JSON, UI).

>>> month_str(from_year_month(1987, 1))
'1987-01'
>>> month_str(parse_month("2026-11") + 2)
'2027-01'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

Month = int  # year * 12 + (month - 1)

_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")


def from_year_month(year: int, month: int) -> Month:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1–12")
    return year * 12 + (month - 1)


def year_of(month: Month) -> int:
    return month // 12


def month_of_year(month: Month) -> int:
    """1–12."""
    return month % 12 + 1


def month_str(month: Month) -> str:
    """``YYYY-MM``, the only way months are written in output."""
    return f"{year_of(month):04d}-{month_of_year(month):02d}"


def parse_month(text: str) -> Month:
    """Read ``YYYY-MM`` (the output form, used by options such as ``--as-of``)."""
    found = _MONTH_TEXT.match(text.strip())
    if not found:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return from_year_month(int(found.group(1)), int(found.group(2)))


def of_date(day: dt.date) -> Month:
    return from_year_month(day.year, day.month)


def previous_month(today: dt.date) -> Month:
    """The last month whose contributions are due: the calendar month before ``today``."""
    return of_date(today) - 1


def first_day(month: Month) -> dt.date:
    return dt.date(year_of(month), month_of_year(month), 1)


@dataclass(frozen=True, slots=True)
class Run:
    """A run of consecutive months, both ends included (起止年月)."""

    start: Month
    end: Month

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    def __iter__(self):
        return iter(range(self.start, self.end + 1))


def runs(months: Iterable[Month]) -> list[Run]:
    """Maximal runs of consecutive months, in order.

    >>> [(month_str(r.start), month_str(r.end)) for r in runs([5, 3, 4, 9])]
    [('0000-04', '0000-06'), ('0000-10', '0000-10')]
    """
    ordered = sorted(set(months))
    result: list[Run] = []
    for month in ordered:
        if result and month == result[-1].end + 1:
            result[-1] = Run(result[-1].start, month)
        else:
            result.append(Run(month, month))
    return result


def gaps_between(months: Iterable[Month]) -> list[Run]:
    """Maximal runs of missing months strictly between the first and the last given month."""
    present = runs(months)
    return [Run(before.end + 1, after.start - 1) for before, after in zip(present, present[1:], strict=False)]
