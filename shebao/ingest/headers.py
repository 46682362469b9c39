"""Finding the table in a sheet: the header row (表头), its columns, and what is written
above it (title 标题, 填报单位, 填报日期).

The kind of table is told by the columns the header names, never by the file's name:
所属期 -> backpay (补缴分解表); 缴费起止 -> card (养老保险卡登记); 起始年月 + 终止年月 ->
annual (历年缴费记录); 入厂日期 / 参加工作时间 / 用工性质 / 出生日期 -> roster (花名册).
Every kind needs an ID column and a name column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from shebao.ingest.mapping import (
    CANONICAL_FIELDS,
    KINDS,
    SYNONYMS,
    ColumnMapping,
    field_for_header,
    load_mapping,
    normalise_header,
)
from shebao.ingest.readers import Cell, Sheet

__all__ = [
    "CANONICAL_FIELDS",
    "KINDS",
    "SYNONYMS",
    "ColumnMapping",
    "Table",
    "employer_from_title",
    "find_table",
    "is_blank_row",
    "is_summary_row",
    "kind_of",
    "load_mapping",
    "normalise_header",
]

REQUIRED_FIELDS = ("id_number", "name")
MIN_HEADER_WORDS = 3
ROSTER_FIELDS = frozenset({"entry_date", "work_start", "category", "birth_date"})


@dataclass
class Table:
    """A recognised table: which row is the header, which column holds which field."""

    sheet: Sheet
    kind: str  # roster | annual | backpay | card
    header_row: int  # 1-based
    columns: dict[str, int]  # canonical field -> 0-based column
    extra_columns: dict[str, int] = field(default_factory=dict)  # unknown header text -> column
    employer_text: str | None = None  # 单位 named above the header
    reporting_text: str | None = None  # text after 填报日期 / 制表日期
    title_text: str | None = None  # first non-label text above the header

    def data_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(1-based row number, cells) for every row below the header, blank and summary
        rows included; cells are padded with "" so every mapped column can be indexed."""
        width = max([*self.columns.values(), *self.extra_columns.values()], default=-1) + 1
        for index in range(self.header_row, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            yield index + 1, cells


# --- rows --------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else ""


def is_blank_row(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


_SUMMARY_CELL = re.compile(r"^(本页|本表|本月|本年|全年|本单位)?(合计|小计|总计|共计)([:：(（\d\-－—]|$)")


def is_summary_row(cells: list[Cell]) -> bool:
    """A cell that is 合计 / 小计 / 总计 (spaces ignored: "合 计"), alone or followed by a colon,
    bracket or figure ("合计：22人").  A name or employer that merely contains the word
    (王小计, 保定市总计量站) is not a summary."""
    for cell in cells:
        if isinstance(cell, str):
            squeezed = "".join(cell.split())
            if _SUMMARY_CELL.match(squeezed):
                return True
    return False


# --- header ------------------------------------------------------------------------------


def kind_of(fields: set[str] | frozenset[str]) -> str | None:
    """The kind of table a header with these canonical fields is, or None."""
    if not all(f in fields for f in REQUIRED_FIELDS):
        return None
    if "period" in fields:
        return "backpay"
    if "paid_ranges" in fields:
        return "card"
    if "start_month" in fields and "end_month" in fields:
        return "annual"
    if fields & ROSTER_FIELDS:
        return "roster"
    return None


def _header_columns(
    cells: list[Cell], mapping: ColumnMapping | None
) -> tuple[dict[str, int], dict[str, int], int]:
    """(known columns, extra columns, number of recognised cells) of a candidate row."""
    columns: dict[str, int] = {}
    extra: dict[str, int] = {}
    recognised = 0
    for index, cell in enumerate(cells):
        text = _text(cell)
        if not text.strip():
            continue
        canonical = field_for_header(text, mapping)
        if canonical is not None:
            recognised += 1
            if canonical not in columns:  # the first of two synonyms wins
                columns[canonical] = index
                continue
        label = unicodedata.normalize("NFC", "".join(text.split()))
        if label in extra:
            label = f"{label}#{index + 1}"
        extra[label] = index
    return columns, extra, recognised


def find_table(sheet: Sheet, mapping: ColumnMapping | None = None, max_scan_rows: int = 60) -> Table | None:
    """The table in ``sheet``: the first of the first ``max_scan_rows`` rows with at least
    three recognised header words, 身份证号 and 姓名 among them.  None when there is no
    such row or its columns do not tell the kind (the caller reports unknown_columns)."""
    for index, cells in enumerate(sheet.rows[:max_scan_rows]):
        columns, extra, recognised = _header_columns(cells, mapping)
        if recognised < MIN_HEADER_WORDS or not all(f in columns for f in REQUIRED_FIELDS):
            continue
        kind = mapping.kind if mapping is not None and mapping.kind else kind_of(set(columns))
        if kind is None:
            return None
        above = sheet.rows[:index]
        employer, reporting, title = _read_preamble(above)
        return Table(
            sheet=sheet,
            kind=kind,
            header_row=index + 1,
            columns=columns,
            extra_columns=extra,
            employer_text=employer,
            reporting_text=reporting,
            title_text=title,
        )
    return None


# --- what is written above the header -----------------------------------------------------

_EMPLOYER_LABELS = ("填报单位", "单位名称", "缴费单位", "参保单位", "用人单位", "单位")
_DATE_LABELS = ("填报日期", "制表日期", "填表日期", "报表日期", "填报时间", "制表时间")
_LABELS = sorted(_EMPLOYER_LABELS + _DATE_LABELS, key=len, reverse=True)
# A label starts a cell or follows a non-CJK character, so 主管单位： is not 单位：.
_LABEL_RE = re.compile(r"(?<![\u4e00-\u9fff])(" + "|".join(_LABELS) + r")\s*[:：]")
# Any other "word：" label ends the previous value (填报单位：X厂　制表人：张三).
_OTHER_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{2,8}\s*[:：]")


def _label_values(text: str) -> list[tuple[str, str]]:
    """[(label, value)] for every known label in one cell's text."""
    matches = list(_LABEL_RE.finditer(text))
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end]
        other = _OTHER_LABEL_RE.search(value)
        if other:
            value = value[: other.start()]
        pairs.append((m.group(1), value.strip()))
    return pairs


def _cell_as_text(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool) or cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _read_preamble(rows: list[list[Cell]]) -> tuple[str | None, str | None, str | None]:
    """(employer, reporting date text, title) from the rows above the header."""
    labelled_employer: str | None = None
    reporting: str | None = None
    title: str | None = None
    for cells in rows:
        texts = [_cell_as_text(cell) for cell in cells]
        consumed: set[int] = set()  # cells read as the value of a label in an earlier cell
        for index, text in enumerate(texts):
            if not text or index in consumed:
                continue
            pairs = _label_values(text)
            if not pairs:
                if title is None:
                    title = text
                continue
            for label, value in pairs:
                if not value:  # "填报单位：" in one cell, the name in the next non-empty one
                    following = next((i for i in range(index + 1, len(texts)) if texts[i]), None)
                    if following is not None and not _label_values(texts[following]):
                        value = texts[following]
                        consumed.add(following)
                if label in _DATE_LABELS:
                    if reporting is None and value:
                        reporting = _squeeze(value)
                elif labelled_employer is None and value:
                    labelled_employer = _squeeze(value)
    employer = labelled_employer
    if employer is None and title is not None:
        employer = employer_from_title(title)
    return employer, reporting, title


# Document words that follow the employer in a title, longest first.
_DOCUMENT_WORDS = (
    "养老保险补缴缴费分解表",
    "补缴缴费分解表",
    "补缴分解表",
    "补缴明细表",
    "历年缴费记录表",
    "缴费记录表",
    "缴费记录",
    "缴费明细表",
    "职工花名册",
    "职工名册",
    "花名册",
)
# (1996年) / （1996） / 1996年度 — a year written in the title, bracketed or followed by 年.
_YEAR_RE = re.compile(
    r"[(（\[【〔]\s*(?:19|20)\d{2}\s*(?:年度|年)?\s*[)）\]】〕]|(?:19|20)\d{2}\s*(?:年度|年)"
)
# 保定市纺织厂职工养老保险补缴明细表: the words between employer and document word.
_TRAILING_INSURANCE_RE = re.compile(r"(?:基本)?养老保险$|职工$")
_PREFIX_RE = re.compile(r"^(?:" + "|".join(_EMPLOYER_LABELS) + r")\s*[:：]\s*")


def employer_from_title(title: str) -> str | None:
    """The employer named in a title: 保定市纺织厂职工花名册（1996年） -> 保定市纺织厂.

    Only a title that ends in a known document word (花名册, 补缴缴费分解表 …) names an
    employer; anything else returns None rather than a guess.
    """
    text = _squeeze(unicodedata.normalize("NFC", title))
    text = _PREFIX_RE.sub("", text)
    text = _YEAR_RE.sub("", text)
    for word in _DOCUMENT_WORDS:
        if text.endswith(word):
            text = text[: -len(word)]
            break
    else:
        return None
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING_INSURANCE_RE.sub("", text)
    text = text.strip("：:，,、- ")
    return text or None
