"""Verification codes (核验码) printed on certificates.

A code is the first 80 bits of HMAC-SHA256(secret, canonical content) written in
Crockford base32 (no I, L, O, U; typing O for 0 or I/L for 1 is forgiven) as
``XXXX-XXXX-XXXX-XXXX``.  The issuing record (who, for whom, when, code) is stored by the
caller; the web page looks the typed code up by :func:`normalize_code` and may re-check
it against the stored content with :func:`check_code`.

>>> make_code("content", "secret")
'4C6R-49FT-HNY4-5G6H'
>>> check_code("4c6r 49ft hny4 5g6h", "content", "secret")
True
"""

from __future__ import annotations

import hashlib
import hmac

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
CODE_LENGTH = 16  # characters, 5 bits each: 80 bits


class CodeError(ValueError):
    """A typed code is not of the printed form; ``reason`` says how."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


def make_code(payload: str, secret: str) -> str:
    if not secret:
        raise CodeError("empty_secret", "a verification secret is required")
    digest = hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")  # 80 bits
    chars = [_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(typed: str) -> str:
    """The canonical printed form of a typed code: case, spaces, dashes and O/I/L forgiven."""
    compact = "".join(ch for ch in typed.upper() if ch not in " -\t").translate(_TYPO)
    if len(compact) != CODE_LENGTH:
        raise CodeError("code_length", f"a verification code has {CODE_LENGTH} characters")
    if any(ch not in _ALPHABET for ch in compact):
        raise CodeError("code_characters", "a verification code uses only 0–9 and A–Z without I, L, O, U")
    return "-".join(compact[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def check_code(typed: str, payload: str, secret: str) -> bool:
    """True when ``typed`` is the code of ``payload`` under ``secret`` (constant-time)."""
    try:
        code = normalize_code(typed)
    except CodeError:
        return False
    return hmac.compare_digest(code, make_code(payload, secret))
