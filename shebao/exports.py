"""Exported spreadsheets (xlsx, CSV) that are safe to open (公式注入防护).

Every export goes through ``safe_cell``: text a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe, so it
is shown as the text it is.  ``xlsx_bytes`` and ``csv_bytes`` write whole tables with it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value):
    """A cell value that no spreadsheet will evaluate; numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence, Iterable[Sequence]]], *, widths=None) -> bytes:
    """An xlsx of ``(title, header, rows)`` sheets; header bold and frozen; every cell safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31] or "Sheet")
        sheet.append(safe_row(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A2"
        for letter, width in (widths or {}).items():
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """CSV in UTF-8 with BOM (so that Excel opens Chinese text correctly); every cell safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row("" if v is None else v for v in row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
