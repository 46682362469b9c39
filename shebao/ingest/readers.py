"""Reading legacy files (历史数据文件) into plain rows of cells.

A file is one or more sheets; a sheet is a list of rows as the clerk sees them, cell
values exactly as stored (numbers stay numbers, dates stay dates, text is not stripped).
The type is told by content, never by the file's name: ZIP -> .xlsx/.xlsm, OLE -> legacy
.xls (both through python-calamine), anything else -> CSV text.

Nothing here interprets a row: finding the header is :mod:`shebao.ingest.headers`,
reading IDs and dates is the normaliser's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError

SUPPORTED_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})

Cell = None | str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Zip-bomb guard (压缩炸弹): checked on the zip directory before any XML parser runs, and
# then by decompressing each member once with the limits in force.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200
# calamine allocates the whole rectangle up to the farthest cell: one stray cell at XFD1048576
# in a 5 KB file asks for half a terabyte and aborts the process.  Refuse such sheets first.
MAX_SHEET_CELLS = 30_000_000
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
RATIO_CHECK_FROM_BYTES = 1024 * 1024
# "<!DOCTYPE" and "<!ENTITY" in the encodings an XML part may use.
_DTD_MARKERS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_DTD_TAIL = 32


class FileRejected(Exception):
    """The whole file cannot be read.  ``reason``: unreadable_file | encoding | unknown_columns."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


def _no_format(row: int, column: int) -> str | None:
    return None


@dataclass
class Sheet:
    """One sheet (工作表) of a file; for CSV the whole file, with ``name`` None.

    ``rows[i]`` is spreadsheet row ``i + 1`` (blank rows kept, trailing blank rows
    dropped).  Workbook rows are rectangular from column A; CSV rows are padded with ""
    to the widest row.  ``number_format(row, column)`` (both 1-based) is the cell's Excel
    number format (数字格式), read lazily; None for CSV, .xls or an empty cell.
    ``source_lines`` (CSV only) is the physical line on which each row starts, which
    differs from ``i + 1`` only after a quoted field spanning several lines.
    """

    name: str | None
    rows: list[list[Cell]]
    number_format: Callable[[int, int], str | None] = _no_format
    source_lines: list[int] | None = None


def read_file(path: Path, data: bytes | None = None) -> list[Sheet]:
    """All sheets of the file at ``path`` (or of ``data``, its content, when given)."""
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise FileRejected("unreadable_file", f"无法打开文件 (cannot open file): {exc.strerror}") from exc
    if not data:
        raise FileRejected("unreadable_file", "文件为空 (empty file)")
    if data.startswith(ZIP_MAGIC):
        check_zip_limits(data)
        sheets = _read_workbook(data, "xlsx")
        _attach_xlsx_formats(sheets, data)
    elif data.startswith(OLE_MAGIC):
        sheets = _read_workbook(data, "xls")
    else:
        sheets = [_read_csv(data)]
    if all(not sheet.rows for sheet in sheets):
        raise FileRejected("unreadable_file", "文件为空 (empty file: no rows)")
    return sheets


# --- workbooks ---------------------------------------------------------------------------


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def check_zip_limits(
    data: bytes,
    *,
    max_total: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_RATIO,
    ratio_from: int = RATIO_CHECK_FROM_BYTES,
) -> None:
    """Refuse a zip that expands too far (XML bomb / zip bomb) before anything parses it."""
    bomb = FileRejected(
        "unreadable_file",
        "工作簿解压后过大或压缩比异常，疑似压缩炸弹 (workbook expands too much: possible zip bomb)",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise bomb
            if sum(m.file_size for m in members) > max_total:
                raise bomb
            for member in members:
                if member.file_size > ratio_from and member.file_size > max_ratio * max(
                    member.compress_size, 1
                ):
                    raise bomb
            # The directory can lie about sizes; zipfile stops at the declared size and
            # checks the CRC, so reading each member once proves the declared sizes.
            # The same pass refuses document type declarations: a workbook never has
            # one, and entity definitions are how XML bombs (billion laughs) expand.
            for member in members:
                is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
                max_row = max_column = 0
                with zf.open(member) as fh:
                    tail = b""
                    while chunk := fh.read(1024 * 1024):
                        window = tail + chunk
                        if is_sheet:
                            for column, row in _CELL_REF.findall(window):
                                max_row = max(max_row, int(row))
                                max_column = max(max_column, _column_number(column))
                            if max_row * max_column > MAX_SHEET_CELLS:
                                raise FileRejected(
                                    "unreadable_file",
                                    f"工作表范围过大（最远单元格在第 {max_row} 行第 {max_column} 列），请删除多余的远端单元格后另存 "
                                    "(sheet extends too far: a stray far-away cell)",
                                )
                        if any(marker in window for marker in _DTD_MARKERS):
                            raise FileRejected(
                                "unreadable_file",
                                "工作簿含有 XML 文档类型或实体声明，疑似 XML 炸弹 (DTD in workbook XML: refused)",
                            )
                        tail = window[-_DTD_TAIL:]
    except FileRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise FileRejected("unreadable_file", f"不是有效的 xlsx 文件 (corrupt workbook: {exc})") from exc


def _read_workbook(data: bytes, kind: str) -> list[Sheet]:
    corrupt = f"不是有效的 {kind} 文件 (corrupt workbook)"
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
            sheets = []
            for name in wb.sheet_names:
                rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets.append(Sheet(name=name, rows=_trim_trailing_blank([list(r) for r in rows])))
    except PasswordError as exc:
        raise FileRejected("unreadable_file", "工作簿有密码保护 (workbook is password-protected)") from exc
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise FileRejected("unreadable_file", f"{corrupt}: {exc}") from exc
    return sheets


def _attach_xlsx_formats(sheets: list[Sheet], data: bytes) -> None:
    """Give each sheet a lazy number_format: the first call opens the workbook once with
    openpyxl (read-only; defusedxml guards its XML) and caches every sheet's formats."""
    cache: dict[str, dict[tuple[int, int], str]] = {}
    loaded = False

    def load() -> None:
        nonlocal loaded
        loaded = True
        import openpyxl  # imported late: only ambiguous numeric dates need it

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # formats are advisory; an unreadable style part means "unknown"
            return
        try:
            for ws in wb.worksheets:
                formats: dict[tuple[int, int], str] = {}
                ws.reset_dimensions()  # don't trust the stored <dimension>: read every row
                for row in ws.iter_rows():
                    for cell in row:
                        row_no = getattr(cell, "row", None)
                        if row_no is not None and cell.value is not None:
                            formats[(row_no, cell.column)] = cell.number_format
                cache[ws.title] = formats
        except Exception:
            cache.clear()
        finally:
            wb.close()

    def for_sheet(name: str) -> Callable[[int, int], str | None]:
        def number_format(row: int, column: int) -> str | None:
            if not loaded:
                load()
            return cache.get(name, {}).get((row, column))

        return number_format

    for sheet in sheets:
        sheet.number_format = for_sheet(sheet.name or "")


# --- CSV ---------------------------------------------------------------------------------

ENCODING_MESSAGE = "无法识别的编码：不是 UTF-8、带 BOM 的 UTF-16 或 GB18030 (unknown text encoding)"
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\x0b", "\x0c"} | {"\x7f"}


def _has_utf8_lines(data: bytes) -> bool:
    """Whether some line of a file that is not UTF-8 as a whole is UTF-8 with non-ASCII text.

    GBK text almost never forms valid multi-byte UTF-8, so such a line means two encodings
    were pasted together; decoding all of it as GB18030 would garble those lines silently."""
    for line in data.splitlines():
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (which includes GBK).

    Text that decodes but holds control characters (NUL …) is binary, not a CSV.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _has_utf8_lines(data):
            raise FileRejected(
                "encoding",
                "文件混用了 GBK/GB18030 与 UTF-8 两种编码，无法可靠读取，请统一另存后导入 (mixed encodings)",
            )
        # A second BOM (re-saved exports) and the DOS end-of-file mark are not content.
        text = text.lstrip("\ufeff").rstrip("\x1a")
        if not _CONTROL.intersection(text):
            return text
    raise FileRejected("encoding", ENCODING_MESSAGE)


def _read_csv(data: bytes) -> Sheet:
    text = decode_text(data)
    if not text.strip():
        raise FileRejected("unreadable_file", "文件为空 (empty file)")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Comma-separated unless the first line is plainly tab-separated (some exports).
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    # strict: a quote never closed raises at the end instead of swallowing the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            rows.append(list(record))
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected("unreadable_file", f"CSV 格式错误 (malformed CSV): {exc}") from exc
    rows = _trim_trailing_blank(rows)
    lines = lines[: len(rows)]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return Sheet(name=None, rows=rows, source_lines=lines)


def _trim_trailing_blank(rows: list[list[Cell]]) -> list[list[Cell]]:
    end = len(rows)
    while end and all(c is None or (isinstance(c, str) and not c.strip()) for c in rows[end - 1]):
        end -= 1
    return rows[:end]
