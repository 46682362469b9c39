"""Masking personal data (个人信息脱敏) in text, lists and logs.

ID numbers become ``1306**********0766`` (``rules.idnumber.mask``); names keep their
first and last character (``何*兰``).  ``MaskIdNumbersFilter`` is installed on every
log handler in ``settings.LOGGING`` so no log line ever carries a whole ID number.
"""

from __future__ import annotations

import logging
import re

from shebao.rules.idnumber import mask

# 18 digits (last may be X) or 15 digits, not part of a longer run of digits.
_ID_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """Every 15- or 18-digit ID number inside ``text`` masked."""
    return _ID_IN_TEXT.sub(lambda m: mask(m.group(0)), text)


def mask_name(name: str) -> str:
    """Name masked for lists shown to roles without full values: 何桂兰 -> 何*兰, 何兰 -> 何*."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "*" * (len(name) - 1) if len(name) == 2 else "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def looks_like_id(text: str) -> bool:
    return bool(_ID_IN_TEXT.search(text or ""))


class MaskIdNumbersFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) with ID numbers masked."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw text, still masked
            message = str(record.msg)
        record.msg = mask_ids_in_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_ids_in_text(record.stack_info)
        return True
