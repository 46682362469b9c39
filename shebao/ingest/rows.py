"""From a located table to accepted, rejected and skipped rows (行规范化).

Each data row below the header becomes exactly one ``RowOutcome``: accepted with its
normalised fields, rejected with the first reason in the contract's order, or skipped
(blank and summary rows).  Nothing is dropped silently: rows = accepted + rejected + skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from shebao.ingest.headers import Table, is_blank_row, is_summary_row
from shebao.rules import idnumber
from shebao.rules.dates import DateError, PartialDate, parse_date, parse_month_ranges
from shebao.rules.months import month_str
from shebao.rules.names import name_is_plausible, normalise_name

# Required fields per kind, besides the ID and the name (the contract's "Unreadable fields").
REQUIRED_DATES = {
    "roster": (),
    "annual": ("start_month", "end_month"),
    "backpay": ("period",),
    "card": ("paid_ranges",),
}
# The employer name that means "no employer": the person paid as a flexible worker (灵活就业人员).
# Exact names only: 保定市个体劳动者协会 is an employer like any other.
FLEXIBLE_EMPLOYER_NAMES = frozenset(
    {"灵活就业人员", "灵活就业", "个体灵活就业人员", "灵活就业人员（个人缴费）"}
)
# Paid months before the 1951 劳动保险条例 cannot exist; after 2100 is a placeholder (9999-12-31).
EARLIEST_PAID_MONTH = 1951 * 12
LATEST_PAID_MONTH = 2100 * 12 + 11
# The largest monthly base (月缴费基数) that is not a typo or a pasted ID number.
MAX_BASE = Decimal("10000000")

# The same few thousand date spellings recur across a pile of files: read each once.
_parse_date = functools.lru_cache(maxsize=200_000, typed=True)(parse_date)

FIELD_LABELS = {
    "birth_date": "出生日期",
    "work_start": "参加工作时间",
    "entry_date": "入厂日期",
    "leave_date": "离厂日期",
    "start_month": "起始年月",
    "end_month": "终止年月",
    "period": "所属期",
    "paid_ranges": "缴费起止",
    "paid_date": "补缴日期",
    "enrol_date": "参保日期",
    "base": "缴费基数",
    "sex": "性别",
}


@dataclass
class RowOutcome:
    row: int
    status: str  # accepted | rejected | skipped
    kind: str
    cells: list[list[str]]  # [[header, value as text], …] exactly as read
    content_hash: str = ""
    reason: str = ""
    message: str = ""
    id_number: str | None = None
    former_id: str | None = None
    name: str = ""
    employer: str | None = None
    data: dict = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


class _Reject(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def cell_text(value) -> str:
    """A cell as a clerk would see it, for display and provenance."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_flexible_employer(name: str | None) -> bool:
    return bool(name) and name in FLEXIBLE_EMPLOYER_NAMES


def parse_sex(value) -> str | None:
    text = "".join(cell_text(value).split())
    return {"男": "M", "女": "F", "M": "M", "F": "F", "m": "M", "f": "F", "1": "M", "2": "F"}.get(text)


def parse_amount(value) -> Decimal | None:
    """A money cell (缴费基数) as Decimal with two places; None when blank; ValueError when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("a yes/no cell is not an amount")
    text = cell_text(value).strip().replace(",", "").replace("，", "").replace("元", "").replace("¥", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not an amount") from exc
    if not amount.is_finite() or amount < 0 or amount >= MAX_BASE:
        raise ValueError(f"{text!r} is not a plausible amount")
    return amount.quantize(Decimal("0.01"))


def _check_paid_months(start: int, end: int) -> None:
    if start < EARLIEST_PAID_MONTH or end > LATEST_PAID_MONTH:
        raise _Reject(
            "bad_date",
            f"缴费年月 {month_str(start)}—{month_str(end)} 不合理（1951 年以前或 2100 年以后，"
            "可能是 9999-12-31 之类的占位日期） (implausible paid month)",
        )


class RowReader:
    """Reads the rows of one table with the file's context (employer, reporting year)."""

    def __init__(
        self, table: Table, *, employer: str | None, reporting_month: int | None, reporting_year: int | None
    ):
        self.table = table
        self.kind = table.kind
        self.employer = employer
        self.reporting_month = reporting_month
        self.reporting_year = reporting_year
        header_cells = table.sheet.rows[table.header_row - 1]
        self.headers = [cell_text(c).strip() for c in header_cells]
        self.serial_column = table.columns.get("serial")

    def outcomes(self) -> Iterator[RowOutcome]:
        for row_number, cells in self.table.data_rows():
            yield self.read(row_number, cells)

    def _repeats_header(self, cells) -> bool:
        """The header row again (pages printed and pasted together, exports per page)."""
        written = ["".join(cell_text(c).split()) for c in cells]
        wanted = ["".join(h.split()) for h in self.headers]
        return any(wanted) and written[: len(wanted)] == wanted

    def _cells(self, cells) -> list[list[str]]:
        width = max(len(self.headers), len(cells))
        pairs = []
        for index in range(width):
            header = self.headers[index] if index < len(self.headers) else ""
            value = cells[index] if index < len(cells) else None
            if header or (value not in (None, "")):
                pairs.append([header or f"列{index + 1}", cell_text(value)])
        return pairs

    def _get(self, cells, name):
        index = self.table.columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def read(self, row_number: int, cells: list) -> RowOutcome:
        meaningful = [c for i, c in enumerate(cells) if i != self.serial_column]
        if is_blank_row(meaningful) or is_summary_row(cells) or self._repeats_header(cells):
            return RowOutcome(row_number, "skipped", self.kind, [])
        pairs = self._cells(cells)
        outcome = RowOutcome(row_number, "accepted", self.kind, pairs)
        outcome.content_hash = hashlib.sha256(
            json.dumps([self.kind, pairs], ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        try:
            self._identify(outcome, cells)
            self._read_fields(outcome, cells, row_number)
        except _Reject as rejection:
            outcome.status = "rejected"
            outcome.reason = rejection.reason
            outcome.message = rejection.message
            outcome.data = {}
        return outcome

    def _identify(self, outcome: RowOutcome, cells) -> None:
        try:
            parsed = idnumber.parse(self._get(cells, "id_number"))
        except idnumber.IdNumberError as error:
            raise _Reject(error.reason, str(error)) from None
        outcome.id_number = parsed.number
        outcome.former_id = parsed.former
        for code in parsed.warnings:
            outcome.warnings.append((code, f"身份证号地区码 {parsed.region_code} 不在历史区划代码表中"))
        name = normalise_name(cell_text(self._get(cells, "name")))
        if not name:
            raise _Reject("missing_name", "姓名为空 (name is missing)")
        if not name_is_plausible(name):
            # kept (nothing is lost), but a clerk should look: often a cell shifted into 姓名
            outcome.warnings.append(("suspicious_name", f"姓名含数字，请核对原件：{name!r}"))
        outcome.name = name

    def _date(self, outcome, cells, row_number, name, *, required: bool) -> PartialDate | None:
        value = self._get(cells, name)
        number_format = None
        if isinstance(value, float) and not value.is_integer():
            column = self.table.columns[name]
            number_format = self.table.sheet.number_format(row_number, column + 1)
        try:
            parsed = _parse_date(value, reporting_year=self.reporting_year, number_format=number_format)
        except DateError as error:
            if required:
                raise _Reject(
                    "bad_date", f"{FIELD_LABELS.get(name, name)}无法识别：{cell_text(value)!r} ({error})"
                ) from None
            outcome.warnings.append(
                ("bad_date", f"{FIELD_LABELS.get(name, name)}无法识别，已留空：{cell_text(value)!r}")
            )
            return None
        if parsed is None and required:
            raise _Reject("bad_date", f"{FIELD_LABELS.get(name, name)}为空 (required date is missing)")
        return parsed

    def _month(self, outcome, cells, row_number, name, *, required: bool) -> int | None:
        parsed = self._date(outcome, cells, row_number, name, required=required)
        if parsed is None:
            return None
        if parsed.month is None:
            if required:
                raise _Reject("bad_date", f"{FIELD_LABELS.get(name, name)}只有年份，缺少月份：{parsed}")
            outcome.warnings.append(("bad_date", f"{FIELD_LABELS.get(name, name)}只有年份，已留空：{parsed}"))
            return None
        return parsed.month_ordinal

    def _amount(self, outcome, cells, name) -> str | None:
        value = self._get(cells, name)
        try:
            amount = parse_amount(value)
        except ValueError:
            outcome.warnings.append(
                ("bad_amount", f"{FIELD_LABELS.get(name, name)}无法识别，已留空：{cell_text(value)!r}")
            )
            return None
        return None if amount is None else str(amount)

    def _read_fields(self, outcome: RowOutcome, cells, row_number: int) -> None:
        kind = self.kind
        data: dict = {}
        if kind == "roster":
            birth = self._date(outcome, cells, row_number, "birth_date", required=False)
            data["birth_written"] = None if birth is None else [birth.year, birth.month, birth.day]
            sex_cell = self._get(cells, "sex")
            data["sex_written"] = parse_sex(sex_cell)
            if data["sex_written"] is None and cell_text(sex_cell).strip():
                outcome.warnings.append(("bad_sex", f"性别无法识别，已留空：{cell_text(sex_cell)!r}"))
            data["work_start"] = self._month(outcome, cells, row_number, "work_start", required=False)
            data["category_text"] = "".join(cell_text(self._get(cells, "category")).split()) or None
            data["entry"] = self._month(outcome, cells, row_number, "entry_date", required=False)
            data["leave"] = self._month(outcome, cells, row_number, "leave_date", required=False)
            data["reporting"] = self.reporting_month
            if data["entry"] is not None and data["leave"] is not None and data["leave"] <= data["entry"]:
                outcome.warnings.append(("bad_date", "离厂日期不晚于入厂日期：此行不能证明在职期间"))
            # a roster of flexible workers names no employer: no employment, no arrears
            outcome.employer = None if is_flexible_employer(self.employer) else self.employer
        elif kind == "annual":
            start = self._month(outcome, cells, row_number, "start_month", required=True)
            end = self._month(outcome, cells, row_number, "end_month", required=True)
            if start > end:
                raise _Reject("bad_date", "起始年月晚于终止年月 (start month after end month)")
            _check_paid_months(start, end)
            data["start"], data["end"] = start, end
            data["base"] = self._amount(outcome, cells, "base")
            written = normalise_name(cell_text(self._get(cells, "employer"))) or self.employer
            data["flexible"] = is_flexible_employer(written)
            outcome.employer = None if data["flexible"] else written
        elif kind == "backpay":
            data["month"] = self._month(outcome, cells, row_number, "period", required=True)
            _check_paid_months(data["month"], data["month"])
            data["base"] = self._amount(outcome, cells, "base")
            paid = self._date(outcome, cells, row_number, "paid_date", required=False)
            data["paid_date"] = None if paid is None else str(paid)
            data["flexible"] = is_flexible_employer(self.employer)
            outcome.employer = None if data["flexible"] else self.employer
        elif kind == "card":
            text = cell_text(self._get(cells, "paid_ranges"))
            if not text.strip():
                raise _Reject("bad_date", "缴费起止为空 (paid ranges missing)")
            try:
                data["ranges"] = [list(pair) for pair in parse_month_ranges(text)]
            except DateError as error:
                raise _Reject("bad_date", f"缴费起止无法识别：{text!r} ({error})") from None
            if not data["ranges"]:
                raise _Reject("bad_date", f"缴费起止无法识别：{text!r}")
            for start, end in data["ranges"]:
                _check_paid_months(start, end)
            data["card_no"] = cell_text(self._get(cells, "card_no")).strip() or None
        for contact in ("phone", "address"):
            value = cell_text(self._get(cells, contact)).strip()
            if value:
                data[contact] = value
        outcome.data = data
