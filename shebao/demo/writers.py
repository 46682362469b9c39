"""Render rows into the legacy files: 花名册 xlsx, 历年缴费记录表 CSV, 补缴分解表 xlsx, card ledger.

Every cell is written in one of the styles clerks used; each style reads back to the same
value under the spec's rules, so the mess never changes what a row means.  Files are
byte-for-byte reproducible (fixed zip timestamps and document properties).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook

from shebao.demo import idnumbers
from shebao.demo.model import FLEXIBLE, Employer, Roster, mon_of, month, year_of
from shebao.demo.records import Row

EXCEL_EPOCH = dt.date(1899, 12, 30)
FIXED_TIME = dt.datetime(2000, 1, 1)

# Header words per employer (the spec's synonyms): name, sex, ID, monthly base.
HEADER_STYLES = (
    ("姓名", "性别", "身份证号码", "月缴费基数"),
    ("职工姓名", "性 别", "身份证号", "缴费基数"),
    ("姓名", "性别", "公民身份号码", "缴费基数"),
    ("职工姓名", "性别", "身份证号码", "月缴费基数"),
)

MONTH_STYLES = (
    "cn",
    "dot2",
    "dot1",
    "dash",
    "ymtext",
    "ymnum",
    "num2",
    "date",
    "serial",
    "ymd_dash",
    "ymd_slash",
    "ymd_cn",
)
BIRTH_MONTH_STYLES = ("cn", "dot2", "dot1", "dash", "ymtext", "ymnum")
BIRTH_DAY_STYLES = ("date", "serial", "ymd_dash", "ymd_slash", "ymd_cn")
CSV_MONTH_STYLES = ("ymtext", "dot2", "dash", "cn", "dot1")


def _date_cell(rng: random.Random, d: dt.date, style: str) -> tuple[object, str | None]:
    """A full date (day precision) in the given style: (cell value, number format)."""
    if style == "date":
        return dt.datetime(d.year, d.month, d.day), rng.choice(("yyyy-mm-dd", "yyyy/m/d"))
    if style == "serial":  # a whole number in a General cell; never six digits
        return (d - EXCEL_EPOCH).days, None
    if style == "ymd_dash":
        return (f"{d.year}-{d.month}-{d.day}" if rng.random() < 0.7 else f"{d:%Y-%m-%d}"), None
    if style == "ymd_slash":
        return f"{d.year}/{d.month}/{d.day}", None
    return f"{d.year}年{d.month}月{d.day}日", None


def _month_text(y: int, m: int, style: str) -> str:
    return {
        "cn": f"{y}年{m}月",
        "dot2": f"{y}.{m:02d}",
        "dot1": f"{y}.{m}",  # "1987.1" is January as text; "1987.10" October
        "dash": f"{y}-{m:02d}",
        "ymtext": f"{y}{m:02d}",
    }[style]


def month_cell(rng: random.Random, m: int, report_year: int | None) -> tuple[object, str | None]:
    """A month-precision field (参加工作时间, 入厂, 离厂): any day in a full-date style."""
    y, mo = year_of(m), mon_of(m)
    styles = list(MONTH_STYLES)
    if report_year is not None and report_year - 100 < y <= report_year:
        styles.append("yy")  # "87.1": the latest such year not after the reporting year
    style = rng.choice(styles)
    if style == "ymnum":
        return y * 100 + mo, None
    if style == "num2":  # a number showing two decimals: 1987.10 is October
        return float(f"{y}.{mo:02d}"), "0.00"
    if style == "yy":
        return f"{y % 100:02d}.{mo}", None
    if style in BIRTH_DAY_STYLES:
        return _date_cell(rng, dt.date(y, mo, 1 if rng.random() < 0.6 else rng.randint(2, 28)), style)
    return _month_text(y, mo, style), None


def birth_cell(rng: random.Random, d: dt.date) -> tuple[object, str | None]:
    if rng.random() < 0.5:
        style = rng.choice(BIRTH_MONTH_STYLES)
        if style == "ymnum":
            return d.year * 100 + d.month, None
        return _month_text(d.year, d.month, style), None
    return _date_cell(rng, d, rng.choice(BIRTH_DAY_STYLES))


def id_value(r: Row, *, xlsx: bool) -> object:
    p = r.person
    if r.damage == "numeric":  # the spreadsheet kept 15 significant digits
        return float(int(p.id18))
    if r.damage == "scientific":
        return idnumbers.damaged_scientific(p.id18)
    text = r.id_written
    if r.damage == "check":
        text = idnumbers.wrong_check_digit(text, p.index)
    if r.id_style == "num15" and xlsx:
        return int(text)  # 15 digits are exact in a number cell
    if r.id_style == "lower_x":
        text = text[:-1] + "x"
    elif r.id_style == "fullwidth":
        text = idnumbers.full_width(text)
    elif r.id_style == "padded":
        text = text + " " if p.index % 2 else " " + text
    return text


def name_value(rng: random.Random, r: Row) -> str:
    if r.damage == "blank_name":
        return ""
    name, gap = r.name, r.name_gap
    if not gap:
        return name
    if len(name) == 2 or rng.random() < 0.6:
        return name[0] + gap + name[1:]
    return rng.choice((gap + name, name + gap, name[0] + gap + name[1] + gap + name[2:]))


def sex_value(sex: str) -> str:
    return "男" if sex == "M" else "女"


def _rates(m: int, flexible: bool) -> tuple[Decimal, Decimal]:
    if flexible:
        return Decimal("0"), Decimal("0.20")
    if m < month(1998, 1):
        return Decimal("0.13"), Decimal("0.03")
    if m < month(2019, 5):
        return Decimal("0.20"), Decimal("0.08")
    return Decimal("0.16"), Decimal("0.08")


def _amounts(base: int, months: list[int], flexible: bool) -> tuple[Decimal, Decimal]:
    unit = personal = Decimal(0)
    for m in months:
        u, p = _rates(m, flexible)
        unit += base * u
        personal += base * p
    cent = Decimal("0.01")
    return unit.quantize(cent, ROUND_HALF_UP), personal.quantize(cent, ROUND_HALF_UP)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps so the same seed gives the same bytes."""
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _put(ws, row: int, col: int, cell: tuple[object, str | None] | object) -> None:
    value, fmt = cell if isinstance(cell, tuple) else (cell, None)
    c = ws.cell(row=row, column=col, value=value)
    if fmt:
        c.number_format = fmt


def write_roster(rng: random.Random, out: Path, emp: Employer, roster: Roster, rows: list[Row]) -> None:
    name_h, sex_h, id_h, _ = HEADER_STYLES[emp.header_style]
    header = [
        "序号",
        name_h,
        sex_h,
        id_h,
        "出生日期",
        "参加工作时间",
        "用工性质",
        "入厂日期",
        "离厂日期",
        "备注",
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    if roster.dating == "none":
        title = f"{emp.name}职工花名册"
    elif rng.random() < 0.7:
        title = f"{emp.name}职工花名册（{roster.year}年）"
    else:
        title = f"{emp.name}{roster.year}年职工花名册"
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(2, 1, f"{rng.choice(('填报单位', '单位名称'))}：{emp.name}")
    if roster.dating == "fill":
        y, m = year_of(roster.report), mon_of(roster.report)
        last_day = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
        label = rng.choice(("填报日期", "填报日期", "制表日期"))
        value = rng.choice(
            (f"{y}年{m}月", f"{y}.{m:02d}", f"{y}-{m:02d}-{last_day:02d}", f"{y}年{m}月{last_day}日")
        )
        ws.cell(2, 8, f"{label}：{value}")
    at = 3 if rng.random() < 0.7 else 4  # sometimes a blank row before the header
    for col, text in enumerate(header, 1):
        ws.cell(at, col, text)
    report_year = year_of(roster.report) if roster.report is not None else None
    forced = emp.index == 0 and roster is emp.rosters[0]  # every kind of mess at least once
    gap_after = rng.randrange(len(rows)) if rows and (rng.random() < 0.3 or forced) else -1
    at += 1
    for n, r in enumerate(rows, 1):
        r.row = at
        _put(ws, at, 1, n)
        _put(ws, at, 2, name_value(rng, r))
        _put(ws, at, 3, sex_value(r.sex))
        _put(ws, at, 4, id_value(r, xlsx=True))
        _put(ws, at, 5, birth_cell(rng, r.birth))
        _put(ws, at, 6, month_cell(rng, r.work_start, report_year))
        _put(ws, at, 7, r.category_word)
        _put(ws, at, 8, month_cell(rng, r.entry, report_year))
        if r.leave is not None:
            _put(ws, at, 9, month_cell(rng, r.leave, report_year))
            if rng.random() < 0.2:
                _put(ws, at, 10, rng.choice(("调出", "辞职", "退休", "下岗")))
        at += 1
        if n - 1 == gap_after:
            at += 1  # a blank row in the middle
    if rng.random() < 0.85 or forced:
        _put(ws, at, 2, "合计")
        _put(ws, at, 3, f"{len(rows)}人")
    if rng.random() < 0.15 or (emp.index == 1 and roster is emp.rosters[0]):
        notes = wb.create_sheet("填表说明")
        notes.cell(1, 1, "1. 用工性质填写干部或工人；2. 日期填写到月。")
    save_workbook(wb, out / roster.file)


def write_backpay(rng: random.Random, out: Path, emp: Employer, file: str, rows: list[Row]) -> None:
    name_h, _, id_h, _ = HEADER_STYLES[emp.header_style]
    header = [name_h, id_h, "所属期", "缴费基数", "单位部分", "个人部分", "补缴日期"]
    wb = Workbook()
    ws = wb.active
    ws.title = "补缴明细"
    ws.cell(1, 1, f"{emp.name}养老保险补缴缴费分解表")
    if rng.random() < 0.4:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for col, text in enumerate(header, 1):
        ws.cell(2, col, text)
    at = 3
    total_unit = total_personal = Decimal(0)
    for r in rows:
        r.row = at
        m = r.months[0]
        unit, personal = _amounts(r.base, [m], False)
        total_unit += unit
        total_personal += personal
        _put(ws, at, 1, name_value(rng, r))
        _put(ws, at, 2, id_value(r, xlsx=True))
        _put(ws, at, 3, year_of(m) * 100 + mon_of(m))
        _put(ws, at, 4, r.base)
        _put(ws, at, 5, float(unit))
        _put(ws, at, 6, float(personal))
        _put(ws, at, 7, (dt.datetime.combine(r.paid_on, dt.time()), "yyyy-mm-dd"))
        at += 1
    if rng.random() < 0.5:
        _put(ws, at, 1, "合计")
        _put(ws, at, 5, float(total_unit))
        _put(ws, at, 6, float(total_personal))
    save_workbook(wb, out / file)


def _csv_bytes(lines: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in lines:
        writer.writerow(line)
    return buf.getvalue().encode(encoding)


def write_annual(
    rng: random.Random, out: Path, file: str, employer: Employer | None, encoding: str, rows: list[Row]
) -> None:
    style = employer.header_style if employer else 0
    unit_col = employer.unit_column if employer else "单位名称"
    name_h, _, id_h, base_h = HEADER_STYLES[style]
    employer_name = employer.name if employer else FLEXIBLE
    flexible = employer is None
    lines: list[list[str]] = []
    index = employer.index if employer else -1
    if rng.random() < 0.3 or index == 0:
        lines.append([f"{employer_name}历年缴费记录表"])
    lines.append(
        ["年度", unit_col, name_h, id_h, "起始年月", "终止年月", "月数", base_h, "单位缴纳", "个人缴纳"]
    )
    main_style = rng.choice(CSV_MONTH_STYLES[:3])
    gap_after = rng.randrange(len(rows)) if rows and (rng.random() < 0.3 or index == 1) else -1
    total_months = 0
    total_unit = total_personal = Decimal(0)
    for n, r in enumerate(rows):
        style = main_style if rng.random() < 0.85 else rng.choice(CSV_MONTH_STYLES)
        first, last = r.months[0], r.months[-1]
        unit, personal = _amounts(r.base, r.months, flexible)
        total_months += len(r.months)
        total_unit += unit
        total_personal += personal
        lines.append(
            [
                str(r.year),
                employer_name,
                name_value(rng, r),
                str(id_value(r, xlsx=False)),
                _month_text(year_of(first), mon_of(first), style),
                _month_text(year_of(last), mon_of(last), style),
                str(len(r.months)),
                f"{r.base}.00",
                f"{unit}",
                f"{personal}",
            ]
        )
        r.row = len(lines)
        if n == gap_after:
            lines.append([] if rng.random() < 0.5 else [""] * 10)
    if rng.random() < 0.5 or index == 1:
        lines.append(
            ["合计", "", "", "", "", "", str(total_months), "", f"{total_unit}", f"{total_personal}"]
        )
    path = out / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_csv_bytes(lines, encoding))


def _card_ranges(months: list[int]) -> str:
    runs: list[list[int]] = []
    for m in months:
        if runs and runs[-1][1] == m - 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ";".join(f"{year_of(a)}.{mon_of(a):02d}-{year_of(b)}.{mon_of(b):02d}" for a, b in runs)


def write_card(rng: random.Random, out: Path, file: str, rows: list[Row]) -> None:
    lines: list[list[str]] = [["卡号", "姓名", "身份证号", "参保日期", "缴费起止"]]
    for r in sorted(rows, key=lambda r: r.person.card_no):
        first = r.months[0]
        lines.append(
            [
                r.person.card_no,
                name_value(rng, r),
                str(id_value(r, xlsx=False)),
                f"{year_of(first)}.{mon_of(first):02d}",
                _card_ranges(r.months),
            ]
        )
        r.row = len(lines)
    (out / file).write_bytes(_csv_bytes(lines, "utf-8-sig"))
