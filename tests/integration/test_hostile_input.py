"""Inputs a hostile tester found: each once broke the importer (crash, silent loss, wrong figures).

Every case keeps the failing input, built here, and asserts what the contract says.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest

from shebao.contributions.models import Period
from shebao.people.models import Person
from tests.integration.cli import run_json

pytestmark = pytest.mark.django_db

HEADER = "年度,单位名称,姓名,身份证号,起始年月,终止年月,月缴费基数\n"
ID_A = "11010519491231002X"
ID_B = "130602195607210766"
ID_C = "13068119660606121X"


def _annual(tmp_path: Path, rows: list[str], name: str = "annual.csv", encoding: str = "gb18030") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding=encoding)
    return path


def _reasons(report) -> list[tuple]:
    return sorted((r["file"], r["row"], r["reason"]) for r in report["rejected"])


def test_a_stray_far_away_cell_is_refused_not_a_crash(capsys, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "所属期"])
    sheet.append(["张三", ID_A, 199501])
    sheet["XFD1048576"] = "x"  # 5 KB on disk; calamine would allocate half a terabyte
    book.save(tmp_path / "far.xlsx")
    code, report = run_json(capsys, "import", str(tmp_path / "far.xlsx"))
    assert code == 0 and _reasons(report) == [("far.xlsx", 0, "unreadable_file")]


@pytest.mark.parametrize("base", ["12345678901", "1E+30", "123456789012345678901234567890"])
def test_an_absurd_base_is_a_warning_and_the_person_stays_readable(capsys, tmp_path, base):
    path = _annual(tmp_path, [f"2001,甲厂,张三,{ID_A},200101,200112,{base}"])
    code, report = run_json(capsys, "import", str(path))
    assert code == 0 and report["accepted"] == 1
    assert [w["code"] for w in report["warnings"]] == ["bad_amount"]
    code, person = run_json(capsys, "person", ID_A, "--as-of", "2026-11")
    assert (
        code == 0 and person["periods"][0]["base"] is None and person["contribution_months"]["pension"] == 12
    )


def test_digits_of_other_scripts_are_not_an_id_number(capsys, tmp_path):
    arabic = "١٣٠٦٠٢٥٦٠٧٢١٠٧٦"  # 130602560721076 in Arabic-Indic digits
    path = _annual(
        tmp_path,
        [f"2001,甲厂,张三,{arabic},200101,200112,800", f"2001,甲厂,李四,{ID_B},200101,200112,800"],
        encoding="utf-8",
    )
    code, report = run_json(capsys, "import", str(path))
    assert (
        code == 0 and _reasons(report) == [("annual.csv", 2, "id_number_format")] and report["accepted"] == 1
    )


def test_a_file_name_that_is_not_utf8_is_reported_readably(capsys, tmp_path):
    folder = tmp_path / "pile"
    folder.mkdir()
    name = os.fsdecode("花名册.csv".encode("gbk"))  # as a GBK name unpacked on Linux arrives
    (folder / name).write_text(HEADER + f"2001,甲厂,张三,{ID_A},200101,200112,800\n", encoding="gb18030")
    code, report = run_json(capsys, "import", str(folder))
    assert code == 0 and report["accepted"] == 1
    code, again = run_json(capsys, "import", str(folder))
    assert again["unchanged"] == ["花名册.csv"]


def test_names_and_employers_containing_summary_words_are_not_summary_rows(capsys, tmp_path):
    path = _annual(tmp_path, [f"2001,保定市总计量站,王小计,{ID_A},200101,200112,800", "合计,,,,,,800"])
    code, report = run_json(capsys, "import", str(path))
    assert (report["accepted"], report["skipped"]) == (1, 1)
    _, person = run_json(capsys, "person", ID_A, "--as-of", "2026-11")
    assert person["name"] == "王小计" and person["periods"][0]["employer"] == "保定市总计量站"


def test_an_unclosed_quote_does_not_swallow_the_rest_of_the_file(capsys, tmp_path):
    path = _annual(
        tmp_path, [f'2001,甲厂,张三,{ID_A},200101,200112,"800', f"2001,甲厂,李四,{ID_B},200101,200112,800"]
    )
    code, report = run_json(capsys, "import", str(path))
    assert code == 0 and _reasons(report) == [("annual.csv", 0, "unreadable_file")]
    assert Person.objects.count() == 0


def test_a_gbk_file_with_a_utf8_line_is_an_encoding_error_not_garbled_text(capsys, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode("gb18030")
        + f"2001,甲厂,张三,{ID_A},200101,200112,800\n".encode("gb18030")
        + f"2001,甲厂,李四,{ID_B},200101,200112,800\n".encode()
    )
    code, report = run_json(capsys, "import", str(path))
    assert _reasons(report) == [("mixed.csv", 0, "encoding")] and Person.objects.count() == 0


def test_placeholder_dates_in_date_cells_are_not_paid_months(capsys, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["年度", "单位名称", "姓名", "身份证号", "起始年月", "终止年月", "月缴费基数"])
    sheet.append([2001, "甲厂", "张三", ID_A, dt.date(2001, 1, 1), dt.date(9999, 12, 31), 800])
    sheet.append([2001, "甲厂", "李四", ID_B, dt.date(1900, 1, 1), dt.date(1900, 12, 1), 800])
    sheet.append([2001, "甲厂", "夏志强", ID_C, dt.date(2001, 1, 1), dt.date(2001, 12, 1), 800])
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    book.save(tmp_path / "dates.xlsx")
    code, report = run_json(capsys, "import", str(tmp_path / "dates.xlsx"))
    assert [(r["row"], r["reason"]) for r in report["rejected"]] == [(2, "bad_date"), (3, "bad_date")]
    assert report["accepted"] == 1


def test_only_the_flexible_worker_name_means_no_employer(capsys, tmp_path):
    path = _annual(
        tmp_path,
        [
            f"2001,保定市个体劳动者协会,张三,{ID_A},200101,200112,800",
            f"2002,灵活就业人员,张三,{ID_A},200201,200212,900",
        ],
    )
    run_json(capsys, "import", str(path))
    _, person = run_json(capsys, "person", ID_A, "--as-of", "2026-11")
    assert [(p["employer"], p["flexible"]) for p in person["periods"]] == [
        ("保定市个体劳动者协会", False),
        (None, True),
    ]


def test_a_roster_of_flexible_workers_proves_no_employment(capsys, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["灵活就业人员花名册（2003年）"])
    sheet.append(["填报单位：灵活就业人员", None, "填报日期：2003年12月"])
    sheet.append(["姓名", "身份证号码", "性别", "入厂日期", "离厂日期"])
    sheet.append(["张三", ID_A, "男", "1996.01", ""])
    book.save(tmp_path / "flex-roster.xlsx")
    run_json(capsys, "import", str(tmp_path / "flex-roster.xlsx"))
    _, person = run_json(capsys, "person", ID_A, "--as-of", "2026-11")
    assert person["arrears_months"] == {} and person["deemed_months"] == 0


def test_a_header_repeated_below_the_header_is_skipped(capsys, tmp_path):
    path = _annual(
        tmp_path,
        [
            f"2001,甲厂,张三,{ID_A},200101,200112,800",
            HEADER.strip(),
            f"2002,甲厂,张三,{ID_A},200201,200212,800",
        ],
    )
    code, report = run_json(capsys, "import", str(path))
    assert (report["accepted"], report["skipped"], report["rejected"]) == (2, 1, [])


def test_a_person_left_half_rebuilt_is_rebuilt_before_anyone_reads_it(capsys, tmp_path):
    path = _annual(tmp_path, [f"2001,甲厂,张三,{ID_A},200101,200112,800"])
    run_json(capsys, "import", str(path))
    # as after a crash between the file's commit and the rebuild: evidence there, history not
    Period.objects.all().delete()
    Person.objects.update(needs_reconcile=True)
    code, person = run_json(capsys, "person", ID_A, "--as-of", "2026-11")
    assert code == 0 and person["contribution_months"]["pension"] == 12
    assert Person.objects.get(id_number=ID_A).needs_reconcile is False


def test_a_name_with_digits_is_kept_with_a_warning(capsys, tmp_path):
    path = _annual(tmp_path, [f"2001,甲厂,1234,{ID_A},200101,200112,800"])
    code, report = run_json(capsys, "import", str(path))
    assert report["accepted"] == 1 and [w["code"] for w in report["warnings"]] == ["suspicious_name"]
