"""Unified social credit codes (统一社会信用代码, GB 32100-2015) of employers.

18 characters from the 31-character set ``0-9 A-H J-N P-R T U W-Y`` (no I O S V Z):
registration authority (登记管理部门代码, 1), entity type (机构类别代码, 1), region
(登记管理机关行政区划码, 6 digits), organisation code (主体标识码, 9, GB 11714) and a
check character (校验码): with the characters' values v1..v17 and weights 3^(i-1) mod 31,
check = 31 - (sum mod 31), where 31 stands for 0.

>>> validate("91110000600037341l")
'91110000600037341L'
"""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i % 31
_VALUE = {c: i for i, c in enumerate(CHARSET)}

REASONS = ("missing_uscc", "uscc_format", "uscc_check_digit")


class UsccError(ValueError):
    """A code that cannot be accepted; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def compact(text: str) -> str:
    """Remove all white space, full-width characters to ASCII, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def check_character(first17: str) -> str:
    """The check character (校验码) for the first 17 characters."""
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError("the check character is computed from 17 characters of the code's set")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(value: str | None) -> str:
    """The compact code, or UsccError (missing, format, check digit, in that order)."""
    code = compact(value or "")
    if not code:
        raise UsccError("missing_uscc", "the unified social credit code is empty")
    if len(code) != 18:
        raise UsccError(
            "uscc_format", f"a unified social credit code has 18 characters, this one has {len(code)}"
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise UsccError(
            "uscc_format",
            f"a unified social credit code uses digits and the letters A-Y except I, O, S, V; found {''.join(bad)}",
        )
    if not code[2:8].isdigit():
        raise UsccError(
            "uscc_format", "characters 3 to 8 of a unified social credit code are a region code (digits)"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise UsccError(
            "uscc_check_digit", f"the last character (check character) should be {expected}, not {code[17]}"
        )
    return code


def is_valid(value: str | None) -> bool:
    try:
        validate(value)
    except UsccError:
        return False
    return True


def region_code(code: str) -> str:
    """The six-digit region code (characters 3 to 8) of a valid code."""
    return code[2:8]
