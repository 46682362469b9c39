"""Fuzzing every importer entry with hypothesis: arbitrary bytes under any supported
name, arbitrary cell grids through header recognition and the row reader.  Never an
exception other than FileRejected, and every refusal carries a reason.

Bounded and derandomised in CI (profile "ci", tests/conftest.py); HYPOTHESIS_PROFILE=deep
runs many more examples.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from shebao.contributions.imports import FileToImport, parse_file
from shebao.ingest.headers import SYNONYMS, find_table
from shebao.ingest.readers import OLE_MAGIC, ZIP_MAGIC, FileRejected, Sheet, read_file
from shebao.ingest.rows import RowReader

FILE_REASONS = {"unreadable_file", "encoding", "unknown_columns"}
ROW_STATUSES = {"accepted", "rejected", "skipped"}
SUFFIXES = [".csv", ".xlsx", ".xls", ".xlsm"]
HEADER_WORDS = sorted({word for words in SYNONYMS.values() for word in words})


def _zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return buffer.getvalue()


xml_ish = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: f'<?xml version="1.0"?><worksheet>{t}</worksheet>'.encode()),
)
workbook_members = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "[Content_Types].xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/sharedStrings.xml",
                "xl/_rels/workbook.xml.rels",
                "_rels/.rels",
                "docProps/app.xml",
                "x",
            ]
        ),
        xml_ish,
    ),
    max_size=6,
    unique_by=lambda m: m[0],
)
csv_text = st.lists(
    st.lists(st.one_of(st.sampled_from(HEADER_WORDS), st.text(max_size=20)), max_size=8), max_size=8
).map(lambda rows: "\n".join(",".join(r) for r in rows))
any_bytes = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: ZIP_MAGIC[0] + b),
    st.binary(max_size=500).map(lambda b: OLE_MAGIC + b),
    st.binary(max_size=500).map(lambda b: b"\xef\xbb\xbf" + b),
    st.binary(max_size=500).map(lambda b: b"\xff\xfe" + b),
    workbook_members.map(_zip_of),
    csv_text.map(lambda t: t.encode("utf-8")),
    csv_text.map(lambda t: t.encode("gb18030", errors="replace")),
)


@given(data=any_bytes, suffix=st.sampled_from(SUFFIXES))
def test_read_file_never_fails_without_a_reason(tmp_path_factory, data, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"f{suffix}"
    path.write_bytes(data)
    try:
        sheets = read_file(path)
    except FileRejected as rejected:
        assert rejected.reason in FILE_REASONS and rejected.message
        return
    assert sheets and all(isinstance(s, Sheet) for s in sheets)


@given(data=any_bytes, suffix=st.sampled_from(SUFFIXES))
def test_parse_file_never_fails_without_a_reason(data, suffix):
    """The whole parse of one file (read, find tables, read rows), as the importer runs it."""
    item = FileToImport(Path(f"fuzz{suffix}"), f"fuzz{suffix}")
    try:
        parsed = parse_file(item, data, "0" * 64)
    except FileRejected as rejected:
        assert rejected.reason in FILE_REASONS and rejected.message
        return
    for _, outcome in parsed.outcomes:
        assert outcome.status in ROW_STATUSES
        if outcome.status == "rejected":
            assert outcome.reason and outcome.message


cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(HEADER_WORDS),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.booleans(),
    st.sampled_from(
        ["130603196412031769", "1.30603196412032E+17", "13060356020623", "1987.01-1995.12", "合计"]
    ),
)
header_row = st.lists(st.sampled_from(HEADER_WORDS), min_size=2, max_size=10)
grid = st.tuples(
    st.lists(st.lists(cell, max_size=6), max_size=4),  # rows above the header
    header_row,
    st.lists(st.lists(cell, max_size=12), max_size=12),  # rows below it
)


@given(parts=grid, with_header=st.booleans())
def test_find_table_and_row_reader_never_fail_without_a_reason(parts, with_header):
    above, header, below = parts
    rows = [*above, *([header] if with_header else []), *below]
    sheet = Sheet(name="fuzz", rows=rows)
    table = find_table(sheet)
    if table is None:
        return
    reader = RowReader(table, employer=None, reporting_month=None, reporting_year=None)
    outcomes = list(reader.outcomes())
    assert len(outcomes) == len(rows) - table.header_row
    for outcome in outcomes:
        assert outcome.status in ROW_STATUSES
        if outcome.status == "rejected":
            assert outcome.reason and outcome.message
        if outcome.status == "accepted":
            assert outcome.id_number and len(outcome.id_number) == 18
