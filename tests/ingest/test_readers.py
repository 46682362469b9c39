"""read_file: content sniffing, CSV encodings, workbooks, and the file-level rejections.

Every input is built here (openpyxl / xlwt / raw bytes); nothing is read from shared/.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt

from shebao.ingest.readers import (
    SUPPORTED_SUFFIXES,
    FileRejected,
    Sheet,
    check_zip_limits,
    decode_text,
    read_file,
)

ID_A = "130604196309152032"  # valid check digit (GB 11643)
ID_B = "130681197606159465"
HEADER = "姓名,身份证号,起始年月,终止年月"


def xlsx_bytes(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_rows(data: bytes) -> list[list]:
    (sheet,) = read_file(Path("x.csv"), data)
    assert sheet.name is None
    return sheet.rows


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".xlsx", ".xlsm", ".xls", ".csv"}


# --- CSV encodings -----------------------------------------------------------------------

TEXT = f"{HEADER}\r\n邹玉梅,{ID_A},198701,198712\r\n"
RARE = f"{HEADER}\r\n王䶮,{ID_B},199401,199412\r\n"  # 䶮 (U+4DAE, CJK Ext. A) is not in GBK


@pytest.mark.parametrize(
    "data, expected_name",
    [
        pytest.param(TEXT.encode("utf-8"), "邹玉梅", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "邹玉梅", id="utf-8-bom"),
        pytest.param(TEXT.encode("utf-16"), "邹玉梅", id="utf-16-bom-native"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), "邹玉梅", id="utf-16-be-bom"),
        pytest.param(b"\xff\xfe" + TEXT.encode("utf-16-le"), "邹玉梅", id="utf-16-le-bom"),
        pytest.param(TEXT.encode("gbk"), "邹玉梅", id="gbk"),
        pytest.param(RARE.encode("gb18030"), "王䶮", id="gb18030-rare-char"),
        pytest.param(b"\xef\xbb\xbf" + RARE.encode("utf-8"), "王䶮", id="utf-8-bom-rare-char"),
    ],
)
def test_csv_encodings(data, expected_name):
    rows = csv_rows(data)
    assert rows[0] == ["姓名", "身份证号", "起始年月", "终止年月"]
    assert rows[1][0] == expected_name
    assert len(rows) == 2


def test_rare_character_premise_gbk_cannot_encode_it():
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        RARE.encode("gb18030").decode("gbk")


RANDOM_BYTES = random.Random(20240601).randbytes(2048)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(RANDOM_BYTES, id="random-bytes"),
        pytest.param(b"\x80\x80\xff\xfeabc", id="invalid-lead-bytes"),
        pytest.param(b"\xef\xbb\xbf\xe5\x90" + b"abc\xff", id="utf-8-bom-then-invalid"),
        pytest.param(b"\xff\xfe" + b"\x00\xd8a\x00", id="utf-16-bom-lone-surrogate"),
        pytest.param(HEADER.encode("utf-16-le"), id="utf-16-without-bom"),
        pytest.param(b"abc\x00def,ghi\n", id="nul-byte"),
    ],
)
def test_undecodable_csv_is_rejected_as_encoding(data):
    with pytest.raises(FileRejected) as exc:
        read_file(Path("x.csv"), data)
    assert exc.value.reason == "encoding"
    assert "GB18030" in exc.value.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="zero-bytes"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"\r\n\r\n  \r\n", id="blank-lines"),
        pytest.param(b"\xff\xfe", id="utf-16-bom-only"),
        pytest.param("\ufeff".encode("utf-16"), id="utf-16-double-bom"),
    ],
)
def test_empty_file_is_unreadable(data):
    with pytest.raises(FileRejected) as exc:
        read_file(Path("x.csv"), data)
    assert exc.value.reason == "unreadable_file"
    assert "文件为空" in exc.value.message


def test_csv_quoted_fields_blank_rows_and_line_numbers():
    data = (
        "卡号,姓名,缴费起止\r\n"
        'BD1,"范,美玲","1987.01-1994.12;\r\n1997.01-1998.05"\r\n'
        "\r\n"
        "BD2, 顾淑珍 ,1987.01-1993.06\r\n"
        "BD3\r\n"
        "\r\n\r\n"
    ).encode("gb18030")
    (sheet,) = read_file(Path("card.csv"), data)
    assert sheet.rows == [
        ["卡号", "姓名", "缴费起止"],
        ["BD1", "范,美玲", "1987.01-1994.12;\r\n1997.01-1998.05"],
        ["", "", ""],  # blank row kept (and padded), numbering exact
        ["BD2", " 顾淑珍 ", "1987.01-1993.06"],  # not stripped here
        ["BD3", "", ""],  # short row padded
    ]  # trailing blank lines dropped
    assert sheet.source_lines == [1, 2, 4, 5, 6]
    assert sheet.number_format(2, 1) is None


def test_tab_separated_text():
    data = f"姓名\t身份证号\t所属期\n范美玲\t{ID_B}\t199501\n".encode()
    assert csv_rows(data) == [["姓名", "身份证号", "所属期"], ["范美玲", ID_B, "199501"]]


def test_decode_text_drops_dos_eof_mark():
    assert decode_text("a,b\r\n\x1a".encode("gbk")) == "a,b\r\n"


# --- xlsx --------------------------------------------------------------------------------


def roster_workbook(wb):
    ws = wb.active
    ws.title = "花名册"
    # row 1 left blank on purpose
    ws["A2"] = "保定市纺织厂职工花名册（1996年）"
    ws.merge_cells("A2:E2")
    ws.append(["序号", "姓名", "身份证号码", "出生日期", "备注"])
    ws.append([1, " 邹玉梅 ", 130602560721076, dt.date(1956, 7, 21), None])
    ws.append([2, "范美玲", 1.30681197606159e17, 1987.1, True])
    ws["D5"].number_format = "0.0"
    ws.append([])
    ws.append([None, "合计", "2人"])
    second = wb.create_sheet("说明")
    second["B2"] = "填表说明"


def test_xlsx_rows_are_exact_and_values_as_stored(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(roster_workbook))
    sheets = read_file(path)
    assert [s.name for s in sheets] == ["花名册", "说明"]
    rows = sheets[0].rows
    assert rows[0] == ["", "", "", "", ""]  # leading blank row kept: row numbers exact
    assert rows[1] == ["保定市纺织厂职工花名册（1996年）", "", "", "", ""]  # merged: first cell only
    assert rows[2] == ["序号", "姓名", "身份证号码", "出生日期", "备注"]
    assert rows[3][1] == " 邹玉梅 "  # text not stripped
    assert rows[3][2] == 130602560721076 and isinstance(rows[3][2], float)
    assert rows[3][3] == dt.date(1956, 7, 21)
    assert rows[4][2] == 1.30681197606159e17 and isinstance(rows[4][2], float)  # destroyed ID shows
    assert rows[4][3] == 1987.1
    assert rows[4][4] is True
    assert rows[5] == ["", "", "", "", ""]
    assert rows[6][1] == "合计"
    assert len(rows) == 7
    assert sheets[1].rows == [["", ""], ["", "填表说明"]]


@pytest.mark.parametrize(
    "row, column, expected",
    [
        (5, 4, "0.0"),  # 1987.1 shown with one decimal
        (4, 4, "yyyy-mm-dd"),  # openpyxl's default for a date
        (4, 3, "General"),
        (2, 1, "General"),
        (1, 1, None),  # empty cell
        (50, 50, None),  # outside the sheet
    ],
)
def test_xlsx_number_format_is_read_lazily(row, column, expected):
    (sheet, _) = read_file(Path("r.xlsx"), xlsx_bytes(roster_workbook))
    assert sheet.number_format(row, column) == expected


def test_type_is_told_by_content_not_suffix(tmp_path):
    path = tmp_path / "looks-like.csv"
    path.write_bytes(xlsx_bytes(roster_workbook))
    assert read_file(path)[0].name == "花名册"


def test_workbook_with_only_empty_sheets_is_empty():
    with pytest.raises(FileRejected) as exc:
        read_file(Path("e.xlsx"), xlsx_bytes(lambda wb: None))
    assert exc.value.reason == "unreadable_file"
    assert "文件为空" in exc.value.message


def zip_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


GOOD = xlsx_bytes(roster_workbook)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(GOOD[: len(GOOD) // 2], id="truncated-xlsx"),
        pytest.param(GOOD[:4] + b"\x00" * 200, id="zip-magic-then-garbage"),
        pytest.param(zip_with({"hello.txt": b"not a workbook"}), id="zip-but-not-xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, id="corrupt-xls"),
    ],
)
def test_corrupt_workbook_is_unreadable(data):
    with pytest.raises(FileRejected) as exc:
        read_file(Path("bad.xlsx"), data)
    assert exc.value.reason == "unreadable_file"
    assert "不是有效的" in exc.value.message


def bomb_xlsx() -> bytes:
    """A real workbook plus one member of 50 MB of zeros (deflates to ~50 KB, ratio ~1000:1)."""
    src = zipfile.ZipFile(io.BytesIO(GOOD))
    members = {info.filename: src.read(info) for info in src.infolist()}
    members["xl/worksheets/sheet9.xml"] = b"0" * (50 * 1024 * 1024)
    return zip_with(members)


def test_zip_bomb_is_refused_before_parsing():
    data = bomb_xlsx()
    assert len(data) < 1024 * 1024
    with pytest.raises(FileRejected) as exc:
        read_file(Path("bomb.xlsx"), data)
    assert exc.value.reason == "unreadable_file"
    assert "压缩炸弹" in exc.value.message


@pytest.mark.parametrize(
    "limits, refused",
    [
        ({}, False),
        ({"max_total": 1000}, True),  # the workbook's parts add up to more than 1000 bytes
        ({"max_ratio": 1, "ratio_from": 0}, True),  # XML always compresses better than 1:1
    ],
)
def test_zip_limits(limits, refused):
    if refused:
        with pytest.raises(FileRejected):
            check_zip_limits(GOOD, **limits)
    else:
        check_zip_limits(GOOD, **limits)


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(FileRejected) as exc:
        read_file(tmp_path / "nope.csv")
    assert exc.value.reason == "unreadable_file"


# --- legacy .xls (written by xlwt, a real BIFF8 writer) ------------------------------------


def xls_bytes() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("补缴明细")
    ws.write(0, 0, "保定市纺织厂养老保险补缴缴费分解表")
    ws.write(1, 0, "姓名")
    ws.write(1, 1, "身份证号")
    ws.write(1, 2, "所属期")
    ws.write(2, 0, "王䶮")
    ws.write(2, 1, ID_A)
    ws.write(2, 2, 199501)
    ws.write(3, 1, 130602560721076.0)
    wb.add_sheet("Sheet2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xls_is_read_through_calamine():
    sheets = read_file(Path("old.xls"), xls_bytes())
    assert [s.name for s in sheets] == ["补缴明细", "Sheet2"]
    rows = sheets[0].rows
    assert rows[0][0] == "保定市纺织厂养老保险补缴缴费分解表"
    assert rows[1] == ["姓名", "身份证号", "所属期"]
    assert rows[2] == ["王䶮", ID_A, 199501]
    assert rows[3][1] == 130602560721076  # numeric, not text
    assert not isinstance(rows[3][1], str)
    assert sheets[1].rows == []
    assert sheets[0].number_format(3, 3) is None  # formats are not read from .xls


def test_sheet_can_be_built_by_hand():
    sheet = Sheet(name=None, rows=[["a"]])
    assert sheet.number_format(1, 1) is None
    assert sheet.source_lines is None
