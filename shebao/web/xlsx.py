"""The rejected rows of an import as an xlsx workbook (拒收记录下载), safe to open in a spreadsheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from shebao.exports import safe_cell as cell_value  # the one formula-injection guard
from shebao.web import labels

FIXED = ["文件", "工作表", "行号", "原因代码", "原因说明", "详情"]


def rejections_workbook(rejected: list[dict], cells: dict[tuple[str, str, int], list]) -> bytes:
    """One row per rejection: where, why, then the original cells under their own headers.

    ``cells`` maps (file, sheet or "", row) to the row's ``[[header, value], …]`` as imported.
    Headers differ between files, so the original columns are the union of all headers
    in order of first appearance.
    """
    headers: list[str] = []
    records = []
    for entry in rejected:
        original = cells.get((entry.get("file") or "", entry.get("sheet") or "", entry.get("row") or 0)) or []
        values: dict[str, str] = {}
        for header, value in original:
            key = str(header or "").strip() or "（无标题列）"
            base, n = key, 2
            while key in values:  # the same header twice in one row
                key, n = f"{base}（{n}）", n + 1
            values[key] = value
            if key not in headers:
                headers.append(key)
        records.append((entry, values))

    book = Workbook()
    sheet = book.active
    sheet.title = "拒收记录"
    sheet.append([cell_value(h) for h in FIXED + headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry, values in records:
        reason = entry.get("reason") or ""
        fixed = [
            entry.get("file") or "",
            entry.get("sheet") or "",
            entry.get("row") or None,
            reason,
            labels.reason_label(reason),
            entry.get("message") or "",
        ]
        sheet.append([cell_value(v) for v in fixed] + [cell_value(values.get(h, "")) for h in headers])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (40, 12, 8, 22, 36, 50), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
