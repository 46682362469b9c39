"""Citizen ID numbers (公民身份号码, GB 11643-1999).

18 characters: region code (地址码, 6 digits), birth date (出生日期码, YYYYMMDD),
sequence (顺序码, 3 digits; odd for men) and check character (校验码, 0-9 or X).
Numbers issued before 1999 have 15 digits (YYMMDD, no check character); they are
converted to 18 digits and the 15-digit form is kept as the former number.

``parse`` takes a spreadsheet cell as read and either returns an ``IdNumber`` or raises
``IdNumberError`` whose ``reason`` is the rejection code of the contract, checked in the
contract's order: missing, damaged, format, date, check digit, region.

>>> parse("110105491231002").number
'11010519491231002X'
>>> mask("130604197202260871")
'1306**********0871'
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from operator import mul

from shebao.rules import regions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_ZERO_SUM = ord("0") * sum(WEIGHTS)

REASONS = (
    "missing_id_number",
    "id_number_damaged",
    "id_number_format",
    "id_number_date",
    "id_number_check_digit",
    "id_number_region",
)

# Numbers issued from 1984 on; used only to pick the county name in use at issue.
_FIRST_ISSUE_YEAR = 1984


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str  # 18 characters, the key of a person
    former: str | None  # 15-digit form as written (原15位号码), when the input had 15 digits
    birth_date: dt.date
    sex: str  # "M" | "F"
    region_code: str  # 地址码
    county: str | None  # display name from the historical list; None when unknown
    warnings: tuple[str, ...] = ()


# Full-width digits and X, lower-case x; invisible characters that are not white space.
_TRANSLATION = str.maketrans(
    {
        **{0xFF10 + i: str(i) for i in range(10)},
        "Ｘ": "X",
        "ｘ": "X",
        "x": "X",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
# [0-9], not \d: \d also matches Arabic-Indic and other digits that no ID number has.
_SHAPE_18 = re.compile(r"[0-9]{17}[0-9X]")
_SHAPE_15 = re.compile(r"[0-9]{15}")
_E_NOTATION = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def compact(text: str) -> str:
    """Remove all white space (also U+3000, NBSP); full-width digits/X to ASCII; x to X."""
    compacted = "".join(text.translate(_TRANSLATION).split())
    # A leading apostrophe is Excel's "keep this as text" marker, not part of the number.
    return compacted[1:] if compacted.startswith(("'", "‘", "’")) else compacted


def check_digit(first17: str) -> str:
    """The check character (校验码) for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("the check digit is computed from exactly 17 digits")
    # ASCII codes minus 48 per digit: much faster than int() per character (~1M calls a run)
    return CHECK_CHARS[(sum(map(mul, first17.encode(), WEIGHTS)) - _ZERO_SUM) % 11]


def to_18(id15: str) -> str:
    """The 18-digit number of a 15-digit one: ``19`` before the year, check digit appended."""
    if not _SHAPE_15.fullmatch(id15):
        raise IdNumberError(
            "id_number_format", "15 位旧身份证号应为 15 位数字 (a 15-digit ID number must be 15 digits)"
        )
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + check_digit(first17)


def to_15(id18: str) -> str | None:
    """The 15-digit form of an 18-digit number born in 19xx (for search), else None."""
    if len(id18) != 18 or id18[6:8] != "19":
        return None
    return id18[:6] + id18[8:17]


def mask(number: str) -> str:
    """First four and last four characters, the rest as ``*`` (for logs and lists)."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _text_of_cell(value: object) -> str:
    """The ID text of a cell, or IdNumberError for cells that cannot hold one."""
    if value is None:
        raise IdNumberError("missing_id_number", "身份证号为空 (the ID number is empty)")
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        raise IdNumberError(
            "id_number_format",
            "身份证号单元格是日期或是非值 (the ID number cell holds a date or a yes/no value)",
        )
    if isinstance(value, int | float):
        # A spreadsheet keeps 15 significant digits: a 15-digit number is exact, anything
        # longer has lost its last digits and must not be "repaired".
        if isinstance(value, float) and not math.isfinite(value):
            raise IdNumberError(
                "id_number_format", "身份证号单元格不是数字 (the ID number cell is not a number)"
            )
        if abs(value) >= 1e15:
            raise IdNumberError(
                "id_number_damaged",
                "身份证号被存成数字，末几位已丢失，须按原件以文本重新录入 "
                "(the ID number was stored as a number and has lost its last digits)",
            )
        if isinstance(value, float) and not value.is_integer():
            raise IdNumberError(
                "id_number_format", "身份证号单元格含小数 (the ID number cell holds a fraction)"
            )
        return str(int(value))
    raise IdNumberError(
        "id_number_format", f"身份证号单元格类型不对 (the ID number cell holds a {type(value).__name__})"
    )


def parse(value: object, *, today: dt.date | None = None) -> IdNumber:
    """Read an ID number from a cell (None, str, int, float, ...); raise IdNumberError.

    ``today`` bounds the birth date (default: the current date).
    """
    return _parse_compact(compact(_text_of_cell(value)), today or dt.date.today())


# Rows of one person repeat (one per year and employer): remember recent results.
@functools.lru_cache(maxsize=65536)
def _parse_compact(text: str, today: dt.date) -> IdNumber:
    if not text:
        raise IdNumberError("missing_id_number", "身份证号为空 (the ID number is empty)")
    if ("E" in text or "e" in text) and _E_NOTATION.fullmatch(text):
        # Text copied from a numeric cell's display (1.30602E+17): digits already lost.
        if abs(float(text)) >= 1e14:
            raise IdNumberError(
                "id_number_damaged",
                "身份证号为科学计数法（表格软件把它当成了数字），末几位已丢失，须按原件重新录入 "
                "(scientific notation: the last digits are lost)",
            )
        raise IdNumberError("id_number_format", "身份证号写成了科学计数法 (written in scientific notation)")

    if _SHAPE_18.fullmatch(text):
        former = None
        year = int(text[6:10])
        date_part = text[6:14]
    elif _SHAPE_15.fullmatch(text):
        former = text
        year = 1900 + int(text[6:8])
        date_part = "19" + text[6:12]
    else:
        if len(text) not in (15, 18):
            message = f"身份证号应为 18 位（或 15 位旧号），此号为 {len(text)} 位 (wrong length)"
        else:
            message = "身份证号只能是数字（18 位号末位可为 X） (digits only, X last)"
        raise IdNumberError("id_number_format", message)

    try:
        birth = dt.date(year, int(date_part[4:6]), int(date_part[6:8]))
    except ValueError:
        raise IdNumberError(
            "id_number_date", f"身份证号中的出生日期 {date_part} 不是有效日期 (not a date)"
        ) from None
    # GB 11643's own example was born in 1880: old numbers of long-dead people are valid.
    if year < 1800 or birth > today:
        raise IdNumberError(
            "id_number_date", f"身份证号中的出生日期 {birth.isoformat()} 不可能 (not possible)"
        )

    if former is None:
        expected = check_digit(text[:17])
        if text[17] != expected:
            raise IdNumberError(
                "id_number_check_digit",
                f"校验位应为 {expected}，而不是 {text[17]} (check digit should be {expected})",
            )
        number = text
    else:
        number = to_18(former)

    if not regions.valid_province(number[:2]):
        raise IdNumberError(
            "id_number_region", f"身份证号前两位 {number[:2]} 不是省级行政区划代码 (not a province code)"
        )
    region_code = number[:6]
    county = regions.county_name(region_code, max(year, _FIRST_ISSUE_YEAR))
    return IdNumber(
        number=number,
        former=former,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=region_code,
        county=county,
        warnings=() if county is not None else ("unknown_county",),
    )


def is_valid(value: object) -> bool:
    try:
        parse(value)
    except IdNumberError:
        return False
    return True
