"""Bad files get a clear file-level reason, nothing is half-written, and the other files still import."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from shebao.contributions.models import SourceFile, SourceRow
from shebao.people.models import Person
from tests.integration.cli import run_json

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "legacy-baoding"
pytestmark = pytest.mark.django_db

GOOD_CSV = "年度,单位名称,姓名,身份证号,起始年月,终止年月,月缴费基数\n2001,甲厂,张三,11010519491231002X,200101,200112,800.00\n"


def _xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def pile(tmp_path) -> Path:
    folder = tmp_path / "pile"
    folder.mkdir()
    (folder / "good.csv").write_text(GOOD_CSV, encoding="gb18030")
    (folder / "corrupt.xlsx").write_bytes(_xlsx_bytes([["姓名"]])[:300])  # cut short
    (folder / "empty.csv").write_bytes(b"")
    (folder / "unknown-encoding.csv").write_bytes(bytes(range(128, 256)) * 4)
    (folder / "no-header.xlsx").write_bytes(_xlsx_bytes([["工资表"], ["月份", "金额"], ["1", "2"]]))
    (folder / "notes.txt").write_text("not a record", encoding="utf-8")
    return folder


def test_each_bad_file_has_a_reason_and_the_good_one_imports(capsys, pile):
    code, report = run_json(capsys, "import", str(pile))
    assert code == 0
    reasons = {r["file"]: r["reason"] for r in report["rejected"]}
    assert reasons == {
        "corrupt.xlsx": "unreadable_file",
        "empty.csv": "unreadable_file",
        "unknown-encoding.csv": "encoding",
        "no-header.xlsx": "unknown_columns",
    }
    assert all(r["message"] for r in report["rejected"])
    assert report["ignored"] == ["notes.txt"]
    assert report["accepted"] == 1 and report["persons"] == 1
    # nothing of the bad files was written
    assert list(SourceFile.objects.values_list("path", flat=True)) == ["good.csv"]
    assert Person.objects.count() == 1


def test_a_file_that_fails_while_writing_leaves_nothing_behind(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "two"
    shutil.copytree(SAMPLE / "annual", folder)
    from shebao.contributions import imports

    real_write = imports._write
    calls = {"n": 0}

    def failing_write(parsed, user, region_code=""):
        calls["n"] += 1
        if calls["n"] == 2:
            real_write(parsed, user, region_code)  # writes, then the transaction must undo it
            raise RuntimeError("disk full")
        return real_write(parsed, user, region_code)

    # Simulate a failure inside the second file's transaction: wrap it so the error is raised
    # inside transaction.atomic(), as a database error would be.
    from django.db import transaction

    def write_in_tx(parsed, user, region_code=""):
        with transaction.atomic():
            return failing_write(parsed, user, region_code)

    monkeypatch.setattr(imports, "_write", write_in_tx)
    with pytest.raises(RuntimeError):
        run_json(capsys, "import", str(folder))
    assert SourceFile.objects.count() == 1
    assert SourceRow.objects.filter(source_file__path__contains="第二机械厂").count() == 0
    monkeypatch.setattr(imports, "_write", real_write)
    code, report = run_json(capsys, "import", str(folder))
    assert code == 0 and len(report["unchanged"]) == 1 and report["files"] == 4
    assert SourceFile.objects.count() == 4


def test_the_report_is_json_even_with_only_bad_input(capsys, tmp_path):
    (tmp_path / "x.csv").write_bytes(b"")
    code, report = run_json(capsys, "import", str(tmp_path / "x.csv"), str(tmp_path / "missing-folder"))
    assert code == 0
    assert [r["reason"] for r in report["rejected"]] == ["unreadable_file", "unreadable_file"]
    json.dumps(report)
