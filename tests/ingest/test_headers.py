"""find_table: header row, synonyms, kinds, text above the header, mapping files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from shebao.ingest.headers import (
    ColumnMapping,
    employer_from_title,
    find_table,
    is_blank_row,
    is_summary_row,
    load_mapping,
    normalise_header,
)
from shebao.ingest.readers import Sheet, read_file

ID_A = "130604196309152032"  # valid check digit (GB 11643)


def sheet(*rows: list) -> Sheet:
    return Sheet(name="S", rows=[list(r) for r in rows])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("性 别", "性别"),
        ("性\u3000别", "性别"),
        (" 姓名： ", "姓名"),
        ("月缴费基数（元）", "月缴费基数"),
        ("月缴费基数(元)", "月缴费基数"),
        ("*身份证号(18位)", "身份证号"),
        ("单位缴纳【元】", "单位缴纳"),
        ("ＩＤ", "ID"),  # full-width letters folded
    ],
)
def test_normalise_header(text, expected):
    assert normalise_header(text) == expected


# --- the header below a title with merged cells, read from a real workbook -----------------


def roster_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = "保定市纺织厂职工花名册（1996年）"
    ws.merge_cells("A1:H1")
    ws["A2"] = "填报单位：保定市纺织一厂"
    ws.merge_cells("A2:D2")
    ws["F2"] = "填报日期：1996年12月"
    ws.append(
        [
            "序 号",
            "职工姓名",
            "性 别",
            "身份证号码",
            "出生年月",
            "参加工作时间",
            "用工性质",
            "入厂日期",
            "籍贯",
        ]
    )
    ws.append([1, "邹玉梅", "女", ID_A, "1963.09", "1981年3月", "工人", "1981.03", "河北"])
    ws.append([None, "合 计", "1人"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_header_below_two_title_rows_with_merged_a1():
    (s,) = read_file(Path("r.xlsx"), roster_xlsx())
    table = find_table(s)
    assert table is not None
    assert table.kind == "roster"
    assert table.header_row == 3
    assert table.columns == {
        "serial": 0,
        "name": 1,
        "sex": 2,
        "id_number": 3,
        "birth_date": 4,
        "work_start": 5,
        "category": 6,
        "entry_date": 7,
    }
    assert table.extra_columns == {"籍贯": 8}
    assert table.employer_text == "保定市纺织一厂"  # the 填报单位 line wins over the title
    assert table.reporting_text == "1996年12月"
    assert table.title_text == "保定市纺织厂职工花名册（1996年）"
    rows = list(table.data_rows())
    assert [n for n, _ in rows] == [4, 5]
    assert rows[0][1][3] == ID_A
    assert is_summary_row(rows[1][1])


# --- kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, kind",
    [
        (["序号", "姓名", "性别", "身份证号", "入厂日期", "离厂日期"], "roster"),
        (["姓名", "身份证", "出生日期", "备注"], "roster"),
        (["姓名", "公民身份号码", "用工形式"], "roster"),
        (["年度", "单位名称", "姓名", "身份证号", "起始年月", "终止年月", "月数", "月缴费基数"], "annual"),
        (["职工姓名", "证件号码", "开始年月", "截止年月"], "annual"),
        (["姓名", "身份证号", "所属期", "缴费基数", "单位部分", "个人部分", "补缴日期"], "backpay"),
        (["人员姓名", "社会保障号码", "费款所属期"], "backpay"),
        (["卡号", "姓名", "身份证号", "参保日期", "缴费起止"], "card"),
        (["姓名", "身份证号码", "缴费期间"], "card"),
    ],
)
def test_kind_is_told_by_the_header(header, kind):
    table = find_table(sheet(header, ["x"] * len(header)))
    assert table is not None and table.kind == kind
    assert table.header_row == 1


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([["甲", "乙", "丙"], ["1", "2", "3"]], id="no-header-words"),
        pytest.param([["序号", "姓名", "身份证号", "备注"]], id="kind-unknown"),
        pytest.param([["序号", "姓名", "性别", "入厂日期"]], id="no-id-column"),
        pytest.param([["身份证号", "性别", "出生日期", "入厂日期"]], id="no-name-column"),
        pytest.param([["姓名", "身份证号"]], id="only-two-words"),
        pytest.param([], id="empty-sheet"),
        pytest.param([[""]] * 60 + [["姓名", "身份证号", "所属期"]], id="header-beyond-scan"),
        pytest.param([[130602.0, None, dt.date(2000, 1, 1)]], id="non-text-cells"),
    ],
)
def test_no_table(rows):
    assert find_table(sheet(*rows)) is None


def test_scan_limit_is_a_parameter():
    rows = [[""]] * 30 + [["姓名", "身份证号", "所属期"]]
    table = find_table(sheet(*rows), max_scan_rows=40)
    assert table is not None and table.header_row == 31


def test_first_of_two_synonyms_wins_and_the_other_is_extra():
    table = find_table(sheet(["姓名", "身份证号", "社会保障号码", "所属期"]))
    assert table.columns["id_number"] == 1
    assert table.extra_columns == {"社会保障号码": 2}


# --- text above the header ---------------------------------------------------------------


@pytest.mark.parametrize(
    "above, employer, reporting, title",
    [
        pytest.param(
            [["保定市纺织厂养老保险补缴缴费分解表", "", ""]],
            "保定市纺织厂",
            None,
            "保定市纺织厂养老保险补缴缴费分解表",
            id="backpay-title",
        ),
        pytest.param(
            [["保定市水泥厂职工花名册（2003年）"], ["填报单位：保定市水泥厂", "", "填报日期：2003年12月"]],
            "保定市水泥厂",
            "2003年12月",
            "保定市水泥厂职工花名册（2003年）",
            id="title-and-labels",
        ),
        pytest.param(
            [["职工花名册"], ["单位名称:", "", "保定市第二机械厂", "制表日期", "2003-12-31"]],
            "保定市第二机械厂",
            None,  # 制表日期 without a colon is not a label
            "职工花名册",
            id="label-value-in-next-cell",
        ),
        pytest.param(
            [["缴费单位 ： 保定市 纺织厂\u3000\u3000制表人：张三\u3000制表日期：1996年12月"]],
            "保定市纺织厂",
            "1996年12月",
            None,
            id="labels-in-one-cell",
        ),
        pytest.param(
            [["主管单位：保定市纺织工业局"], ["填报日期：", dt.date(1996, 12, 31)]],
            None,
            "1996-12-31",
            "主管单位：保定市纺织工业局",
            id="date-cell-and-foreign-label",
        ),
        pytest.param(
            [["填报单位：", "保定市水泥厂", "填报日期：", "1996年12月"]],
            "保定市水泥厂",
            "1996年12月",
            None,  # values beside their labels are not a title
            id="labels-and-values-in-cells",
        ),
        pytest.param([], None, None, None, id="nothing-above"),
        pytest.param(
            [["人员名单（1996年）"]], None, None, "人员名单（1996年）", id="title-without-document-word"
        ),
    ],
)
def test_text_above_the_header(above, employer, reporting, title):
    table = find_table(sheet(*above, ["姓名", "身份证号", "所属期"]))
    assert table is not None
    assert (table.employer_text, table.reporting_text, table.title_text) == (employer, reporting, title)


@pytest.mark.parametrize(
    "title, employer",
    [
        ("保定市纺织厂职工花名册（1996年）", "保定市纺织厂"),
        ("保定市纺织厂职工花名册(1996)", "保定市纺织厂"),
        ("保定市纺织厂 花名册 1996年度", "保定市纺织厂"),
        ("1996年保定市纺织厂职工花名册", "保定市纺织厂"),
        ("保定市纺织厂养老保险补缴缴费分解表", "保定市纺织厂"),
        ("保定市纺织厂补缴明细表", "保定市纺织厂"),
        ("保定市水泥厂历年缴费记录表", "保定市水泥厂"),
        ("保定市水泥厂缴费记录", "保定市水泥厂"),
        ("填报单位：保定市水泥厂职工花名册", "保定市水泥厂"),
        ("灵活就业人员花名册", "灵活就业人员"),
        ("职工花名册（1996年）", None),
        ("养老保险补缴缴费分解表", None),
        ("保定市纺织厂", None),  # no document word: not guessed
    ],
)
def test_employer_from_title(title, employer):
    assert employer_from_title(title) == employer


# --- rows --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, summary, blank",
    [
        (["", "合计", "18人"], True, False),
        (["合 计", None], True, False),
        (["", "本页小计"], True, False),
        (["总\u3000计"], True, False),
        (["1", "邹玉梅", ID_A], False, False),
        (["", None, " ", "\u3000"], False, True),
        ([], False, True),
        ([0.0, ""], False, False),
    ],
)
def test_summary_and_blank_rows(cells, summary, blank):
    assert is_summary_row(cells) is summary
    assert is_blank_row(cells) is blank


def test_data_rows_pad_short_rows():
    table = find_table(sheet(["标题"], ["姓名", "身份证号", "所属期", "备注"], ["邹玉梅"], []))
    assert list(table.data_rows()) == [(3, ["邹玉梅", "", "", ""]), (4, ["", "", "", ""])]


# --- mapping files -----------------------------------------------------------------------


def test_mapping_file_maps_unknown_words(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(
        '[columns]\n"工人名字" = "name"\n"居民身份证" = "id_number"\n"进 厂 年 月" = "entry_date"\n',
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    header = ["工人名字", "居民身份证", "进厂年月", "性别"]
    assert find_table(sheet(header)) is None  # unknown without the mapping
    table = find_table(sheet(header), mapping)
    assert table.kind == "roster"
    assert table.columns == {"name": 0, "id_number": 1, "entry_date": 2, "sex": 3}


def test_mapping_can_force_the_kind(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text('kind = "card"\n[columns]\n"参保起止" = "paid_ranges"\n', encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping == ColumnMapping(columns={"参保起止": "paid_ranges"}, kind="card")
    table = find_table(sheet(["姓名", "身份证号", "备注"]), mapping)
    assert table is not None and table.kind == "card"


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('[columns]\n"工人名字" = "worker_name"\n', "worker_name"),
        ('kind = "payroll"\n', "payroll"),
        ("colums = {}\n", "colums"),
        ("[columns\n", "TOML"),
        ('[columns]\n" " = "name"\n', "empty header"),
    ],
)
def test_bad_mapping_file_is_a_clear_error(tmp_path, content, fragment):
    path = tmp_path / "mapping.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=fragment):
        load_mapping(path)
