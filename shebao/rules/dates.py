"""Dates as a clerk reads them (日期识别), at the precision they were written.

Cells come as date cells, Excel serial numbers, numbers such as ``198701`` or
``1987.01``, and text in many forms (``1987年1月``, ``1987-1-5``, ``87.1`` ...).  The rule
is to read what a clerk would read and never to guess: anything with two readings,
or none, is a ``DateError``.

>>> str(parse_date("1987年1月"))
'1987-01'
>>> str(parse_date(198701))
'1987-01'
>>> str(parse_date("87.1", reporting_year=1996))
'1987-01'
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from shebao.rules import months

FIRST_YEAR, LAST_YEAR = 1900, 2100  # years a record can plausibly mention
SERIAL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system, past its 1900-02-29 bug)
# Whole numbers read as serials: five digits (1927-05-18) up to 2100-12-31.  Shorter numbers
# are more likely a year or a truncated date (8701) than a day of 1900-1927.
SERIAL_MIN, SERIAL_MAX = 10_000, (dt.date(LAST_YEAR, 12, 31) - SERIAL_EPOCH).days
# A cell formatted as a date is a serial by the cell's own say-so: only Excel's bug years are out.
DATE_CELL_SERIAL_MIN = 61  # 1900-03-01


class DateError(ValueError):
    """A date that cannot be read without guessing; ``reason`` is ``bad_date``."""

    reason = "bad_date"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date at the precision written: year, year-month or year-month-day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.month is None and self.day is not None:
            raise DateError("a day without a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(f"month {self.month} does not exist")
        if self.day is not None:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise DateError(f"{self.year}-{self.month:02d} has no day {self.day}") from None

    @property
    def precision(self) -> str:
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def month_ordinal(self) -> months.Month:
        if self.month is None:
            raise ValueError(f"{self} has no month")
        return months.from_year_month(self.year, self.month)

    def agrees_with(self, other: dt.date | PartialDate) -> bool:
        """Equal at the coarser of the two precisions (1953年4月 agrees with 1953-04-02)."""
        if isinstance(other, dt.date):
            other = PartialDate(other.year, other.month, other.day)
        if self.year != other.year:
            return False
        if self.month is None or other.month is None:
            return True
        if self.month != other.month:
            return False
        return self.day is None or other.day is None or self.day == other.day

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


# --- text -------------------------------------------------------------------------------

_YEAR = r"(\d{4}|\d{2})"
_CHINESE = re.compile(_YEAR + r"年(?:(\d{1,2})月(?:(\d{1,2})[日号]?)?)?")
_SEPARATED = re.compile(_YEAR + r"([./-])(\d{1,2})(?:\2(\d{1,2})[日号]?)?")
_DIGITS = re.compile(r"\d+")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")  # 1987-01-05 00:00:00 from a CSV
_AROUND_MARKS = re.compile(r"\s*([年月日号./-])\s*")
_TRAILING = re.compile(r"[止起]$")  # 1994年12月止


def _full_year(year_text: str, reporting_year: int | None, written: str) -> int:
    if len(year_text) == 4:
        year = int(year_text)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise DateError(f"{written!r}: the year {year} is not plausible")
        return year
    if reporting_year is None:
        raise DateError(f"{written!r}: a two-digit year needs the file's reporting year")
    # the latest year ending in these two digits that is not after the reporting year
    year = reporting_year - (reporting_year - int(year_text)) % 100
    if year < FIRST_YEAR:
        raise DateError(f"{written!r}: the year {year} is not plausible")
    return year


def _make(year: int, month: int | None, day: int | None, written: object) -> PartialDate:
    try:
        return PartialDate(year, month, day)
    except DateError as exc:
        raise DateError(f"{written!r}: {exc.message}") from None


def _from_serial(serial: int, minimum: int, written: object) -> PartialDate:
    if not minimum <= serial <= SERIAL_MAX:
        raise DateError(f"{written!r} is not a date")
    day = SERIAL_EPOCH + dt.timedelta(days=serial)
    return PartialDate(day.year, day.month, day.day)


def _from_whole_number(digits: str, written: object) -> PartialDate:
    """YYYYMMDD, YYYYMM (valid month), a year 1900-2100, else an Excel serial."""
    if not digits.isdigit() or digits.startswith("0"):
        raise DateError(f"{written!r} is not a date")
    number = int(digits)
    if len(digits) == 8:
        return _make(_full_year(digits[:4], None, written), int(digits[4:6]), int(digits[6:]), written)
    if len(digits) == 6 and 1 <= int(digits[4:]) <= 12:
        return _make(_full_year(digits[:4], None, written), int(digits[4:]), None, written)
    if len(digits) == 4 and FIRST_YEAR <= number <= LAST_YEAR:
        return PartialDate(number)
    return _from_serial(number, SERIAL_MIN, written)


def _from_text(text: str, reporting_year: int | None) -> PartialDate:
    written = text
    text = unicodedata.normalize("NFKC", text).strip()  # full-width digits and marks
    text = _TIME.sub("", text)
    text = _AROUND_MARKS.sub(r"\1", text)
    text = _TRAILING.sub("", text)
    if found := _CHINESE.fullmatch(text):
        year_text, month, day = found.groups()
    elif found := _SEPARATED.fullmatch(text):
        year_text, _, month, day = found.groups()
    elif _DIGITS.fullmatch(text):
        return _from_whole_number(text, written)
    else:
        raise DateError(f"{written!r} is not a date")
    return _make(
        _full_year(year_text, reporting_year, written),
        int(month) if month else None,
        int(day) if day else None,
        written,
    )


# --- numbers ----------------------------------------------------------------------------


def _unquoted(number_format: str) -> str:
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", number_format.split(";")[0])
    return section.lower()


def _is_date_format(number_format: str | None) -> bool:
    if not number_format:
        return False
    section = _unquoted(number_format)
    return bool(re.search(r"[ymd]", section)) and not re.search(r"[0#?]", section)


def _decimals_shown(number_format: str | None) -> int:
    """How many decimals the format always shows (``0.00`` -> 2, ``0.0#`` -> 1, General -> 0)."""
    if not number_format:
        return 0
    found = re.search(r"\.([0#?]+)", _unquoted(number_format))
    return found.group(1).count("0") if found else 0


def _from_number(value: float, reporting_year: int | None, number_format: str | None) -> PartialDate:
    if not math.isfinite(value):
        raise DateError(f"{value!r} is not a date")
    if _is_date_format(number_format):
        if not float(value).is_integer():
            value = math.floor(value)  # a date-time cell: the day is the whole part
        return _from_serial(int(value), DATE_CELL_SERIAL_MIN, value)
    if float(value).is_integer():
        return _from_whole_number(str(int(value)), value)
    # year.month typed into a number cell: the shortest decimal form is what was typed,
    # except that a trailing zero is lost (1987.10 is stored as 1987.1).
    found = re.fullmatch(r"(\d{4}|\d{2})\.(\d{1,2})", repr(float(value)))
    if not found:
        raise DateError(f"{value!r} is not a date")
    year_text, decimals = found.groups()
    if len(decimals) == 1:
        if _decimals_shown(number_format) >= 2:
            decimals += "0"  # the cell shows 1987.10
        elif decimals == "1":
            raise DateError(f"{value!r} in a number cell may be January or October (1987.10 loses its zero)")
    return _make(_full_year(year_text, reporting_year, value), int(decimals), None, value)


# --- public -----------------------------------------------------------------------------


def parse_date(
    value: object, *, reporting_year: int | None = None, number_format: str | None = None
) -> PartialDate | None:
    """Read a date cell at the precision written; None for an empty cell.

    ``reporting_year`` resolves two-digit years (87 -> the latest 19xx/20xx not after it);
    ``number_format`` is the cell's Excel number format, when known.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return _from_number(value, reporting_year, number_format)
    if isinstance(value, str):
        if not value.strip():
            return None
        return _from_text(value, reporting_year)
    raise DateError(f"{value!r} is not a date")


def parse_month_cell(
    value: object, *, reporting_year: int | None = None, number_format: str | None = None
) -> months.Month | None:
    """The month ordinal of a cell; None when empty; DateError when it has no month."""
    date = parse_date(value, reporting_year=reporting_year, number_format=number_format)
    if date is None:
        return None
    if date.month is None:
        raise DateError(f"{value!r} gives a year but no month")
    return date.month_ordinal


_RANGE_MARKS = "-–—~～〜至到"
_AROUND_RANGE = re.compile(r"\s*([" + _RANGE_MARKS + r"])\s*")
_LIST_SEPARATORS = re.compile(r"[;；,，、\s]+")


def _month_of_text(text: str, reporting_year: int | None) -> months.Month | None:
    try:
        date = _from_text(text, reporting_year) if text else None
    except DateError:
        return None
    return date.month_ordinal if date is not None and date.month is not None else None


def parse_month_ranges(text: str | None, *, reporting_year: int | None = None) -> list[tuple[int, int]]:
    """Runs of paid months written in a card ledger (缴费起止), as (start, end) ordinals.

    ``1987.01-1994.12;1997.01-1998.05``: runs separated by ; ， , or spaces, ends by
    - – — ~ 至 到.  A single month stands for itself.  Empty text gives [].
    """
    if text is None or not text.strip():
        return []
    normal = _AROUND_RANGE.sub(r"\1", unicodedata.normalize("NFKC", text).strip())
    result = []
    for piece in _LIST_SEPARATORS.split(normal):
        if not piece:
            continue
        # Split at the one range mark that leaves a month on both sides; a hyphen can
        # also separate the parts of a date (1987-01-1994-12), so try every position.
        readings = []
        for at, char in enumerate(piece):
            if char in _RANGE_MARKS:
                start = _month_of_text(piece[:at], reporting_year)
                end = _month_of_text(piece[at + 1 :], reporting_year)
                if start is not None and end is not None:
                    readings.append((start, end))
        if not readings:
            single = _month_of_text(piece, reporting_year)
            if single is None:
                raise DateError(f"{piece!r} is not a run of months")
            readings.append((single, single))
        if len(readings) > 1:
            raise DateError(f"{piece!r} can be split into a run of months in more than one way")
        start, end = readings[0]
        if start > end:
            raise DateError(f"{piece!r}: the run ends before it starts")
        result.append((start, end))
    return result


_DATE_IN_TEXT = re.compile(
    r"\d{4}\s*(?:年\s*\d{1,2}\s*月|[./-]\s*\d{1,2})(?:\s*[./-]?\s*\d{1,2}\s*[日号]?)?|\d{6,8}"
)


def parse_reporting_month(text: str | None) -> months.Month | None:
    """The month of a roster's 填报日期/制表日期 (the text after the colon), or None.

    None when the text is empty, gives no month, or cannot be read: the caller then
    falls back to the title's year (and, failing that, reports no_reporting_date).
    """
    if text is None:
        return None
    normal = unicodedata.normalize("NFKC", text)
    candidates = [normal.split(":", 1)[-1].strip()]  # the whole line may have been passed
    candidates += [found.group(0) for found in _DATE_IN_TEXT.finditer(normal)]
    for candidate in candidates:
        try:
            month = parse_month_cell(candidate) if candidate else None
        except DateError:
            continue
        if month is not None:
            return month
    return None


_YEAR_IN_TITLE = re.compile(r"(?<!\d)(\d{4})(?=\s*年)|[(\[【〔]\s*(\d{4})\s*[)\]】〕]")


def year_in_title(text: str | None) -> int | None:
    """The year of a title such as 保定市水泥厂职工花名册（1996年）, or None.

    A four-digit year 1950-2100 followed by 年 or alone in brackets; None when there is
    none or the title names two different years.
    """
    if not text:
        return None
    normal = unicodedata.normalize("NFKC", text)
    years = {int(a or b) for a, b in _YEAR_IN_TITLE.findall(normal)}
    years = {year for year in years if 1950 <= year <= 2100}
    return years.pop() if len(years) == 1 else None
