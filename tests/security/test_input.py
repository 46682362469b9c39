"""Input hardening: upload limits, type sniffing, zip and XML bombs, formula injection in
exports, and HTML / SQL payloads in every imported text field."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from shebao.contributions.models import SourceRow
from shebao.exports import csv_bytes, safe_cell, xlsx_bytes
from shebao.ingest.readers import FileRejected, read_file
from shebao.people.models import Employer, Person
from tests.security.support import id_number


def _upload(client, *files):
    return client.post(reverse("web:import"), {"files": [SimpleUploadedFile(n, c) for n, c in files]})


# ---------------------------------------------------------------- size, type


@pytest.mark.django_db
@override_settings(MAX_UPLOAD_BYTES=2000)
def test_uploads_over_the_limit_are_refused(client, users):
    client.force_login(users["counter_clerk"])
    content = ("身份证号,姓名\n" + "130603197001011231,张三\n" * 200).encode()
    response = _upload(client, ("big.csv", content))
    assert response.status_code == 413 and "超过上限" in response.content.decode()
    assert SourceRow.objects.count() == 0


@pytest.mark.django_db
@override_settings(MAX_UPLOAD_BYTES=2000)
def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, users):
    client.force_login(users["counter_clerk"])
    response = _upload(client, ("big.csv", b"x" * (2000 + 1024 * 1024 + 10)))
    assert response.status_code == 413


@pytest.mark.django_db
@override_settings(MAX_UPLOAD_BYTES=2000)
def test_a_zip_expanding_over_the_limit_is_refused(client, users):
    client.force_login(users["counter_clerk"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", "身份证号,姓名\n" + "\n" * 5000)
    response = _upload(client, ("pile.zip", buffer.getvalue()))
    assert response.status_code == 400 and "未导入任何文件" in response.content.decode()


def _xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["身份证号", "姓名"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("really-a-zip.csv", b"PK\x03\x04" + b"\x00" * 100, "unreadable_file"),  # sniffed as a workbook
        ("really-text.xlsx", "身份证号,姓名\n".encode(), None),  # sniffed as CSV: read, not refused
        ("really-binary.xlsx", b"\x00\x01\x02\x03" * 50, "encoding"),
        ("empty.xls", b"", "unreadable_file"),
    ],
)
def test_the_type_is_sniffed_from_the_content(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    if reason is None:
        sheets = read_file(path)
        assert sheets[0].name is None and sheets[0].rows[0] == ["身份证号", "姓名"]
    else:
        with pytest.raises(FileRejected) as rejected:
            read_file(path)
        assert rejected.value.reason == reason


def test_a_workbook_renamed_csv_is_read_as_a_workbook(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_bytes(_xlsx_bytes())
    assert read_file(path)[0].name == "Sheet"


# ---------------------------------------------------------------- bombs


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>\n"
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/sharedStrings.xml", bomb)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_xml_bomb_in_an_xlsx_is_unreadable_and_does_not_hang(tmp_path, encoding):
    data = _billion_laughs()
    if encoding == "utf-16":  # the same bomb, its XML parts re-encoded
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                body = source.read(info)
                if info.filename == "xl/sharedStrings.xml":
                    body = (
                        body.decode()
                        .replace('version="1.0"?', 'version="1.0" encoding="UTF-16"?')
                        .encode("utf-16")
                    )
                target.writestr(info, body)
        data = out.getvalue()
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(FileRejected) as rejected:
        read_file(path)
    assert rejected.value.reason == "unreadable_file" and "XML" in rejected.value.message
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_a_zip_bomb_upload_is_refused(client, users):
    client.force_login(users["counter_clerk"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.csv", b"0" * (20 * 1024 * 1024))  # ~1000:1
    response = _upload(client, ("bomb.zip", buffer.getvalue()))
    assert response.status_code == 400 and "压缩炸弹" in response.content.decode()
    assert SourceRow.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["../../etc/evil.csv", "/abs.csv", "C:\\win.csv", "a/../../b.csv"])
def test_a_path_traversal_upload_is_refused(client, users, member):
    client.force_login(users["counter_clerk"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "身份证号,姓名\n")
    assert _upload(client, ("evil.zip", buffer.getvalue())).status_code == 400


# ---------------------------------------------------------------- formula injection


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("张三", "张三"),
        ("1306", "1306"),
        (12.5, 12.5),
        (-3, -3),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_xlsx_and_csv_exports_store_formulas_as_text():
    data = xlsx_bytes([("t", ["=h"], [["=cmd|' /C calc'!A0", 1]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "'=h" and sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s" and sheet["B2"].value == 1
    text = csv_bytes(["h"], [["@x"], ["-1+1"]]).decode("utf-8-sig")
    assert text.splitlines() == ["h", "'@x", "'-1+1"]


def test_every_xlsx_export_uses_the_shared_guard():
    """A module that writes workbooks or CSV must use the one guard: shebao.exports (or its
    re-export ``shebao.web.xlsx.cell_value``)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shebao"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path.parts[-2] in ("ingest", "demo") or path.name == "exports.py":
            continue
        text = path.read_text(encoding="utf-8")
        writes = "Workbook()" in text or "csv.writer(" in text
        guarded = "shebao.exports" in text or "from shebao.web.xlsx import cell_value" in text
        if writes and not guarded:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_the_rejections_download_is_formula_safe(client, users):
    client.force_login(users["counter_clerk"])
    content = '身份证号,姓名,起始年月,终止年月\n=HYPERLINK("http://x"),@SUM(1),2001-01,2001-12\n'.encode()
    response = _upload(client, ("f.csv", content))
    download = client.get(response["Location"] + "rejections.xlsx")
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = [c for row in sheet.iter_rows(min_row=2, values_only=True) for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://x")' in values and "'@SUM(1)" in values
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


# ---------------------------------------------------------------- HTML and SQL in imported text

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --"]


def _squeezed(text: str) -> str:
    """Names and employers are stored with white space removed (hand-computed expectation)."""
    return "".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_imported_text_field_are_shown_as_text(client, users, payload):
    number = id_number("19700101", "123")
    roster = (
        f"填报单位：{payload}\n填报日期：2003年12月\n"
        "身份证号,姓名,单位名称,用工性质,住址,联系电话,入厂日期,参加工作时间\n"
        f'{number},"{payload.replace(chr(34), chr(34) * 2)}","{payload.replace(chr(34), chr(34) * 2)}",'
        f'"{payload.replace(chr(34), chr(34) * 2)}","{payload.replace(chr(34), chr(34) * 2)}",'
        f'"{payload.replace(chr(34), chr(34) * 2)}",1995-01-01,1990-01\n'
        f'"{payload.replace(chr(34), chr(34) * 2)}",某人,,,,,1995-01-01,1990-01\n'
    )
    annual = (
        "身份证号,姓名,单位名称,起始年月,终止年月,缴费基数\n"
        f'{number},"{payload.replace(chr(34), chr(34) * 2)}","{payload.replace(chr(34), chr(34) * 2)}",'
        "2001-01,2003-12,800\n"
    )
    file_name = payload.replace("/", "_")
    client.force_login(users["counter_clerk"])
    response = _upload(client, (f"{file_name}.csv", roster.encode()), ("annual.csv", annual.encode()))
    assert response.status_code == 302

    # stored exactly as written (names and employers without spaces): nothing was executed
    assert Person.objects.count() == 1 and Employer.objects.filter(name=_squeezed(payload)).exists()
    person = Person.objects.get()
    assert person.name == _squeezed(payload) and person.address == payload
    assert SourceRow.objects.count() == 3 and SourceRow.objects.filter(status="rejected").count() == 1

    shown = {_squeezed(payload), payload, file_name}
    pages = {
        "import result": client.get(response["Location"]),
        "search": client.post(reverse("web:search"), {"q": person.name}, HTTP_HX_REQUEST="true"),
        "person": client.get(reverse("web:person", args=[person.pk])),
    }
    for row in SourceRow.objects.all():
        client.force_login(users["archivist"])
        pages[f"row {row.row}"] = client.get(reverse("web:row", args=[row.pk]))
    client.force_login(users["counter_clerk"])
    for where, page in pages.items():
        assert page.status_code == 200, where
        html = page.content.decode()
        for value in shown:
            assert value not in html, f"{where}: unescaped {value!r}"
        assert any(escape(value) in html for value in shown), f"{where}: payload not shown"
    assert escape(_squeezed(payload)) in pages["search"].content.decode()
    assert escape(payload) in pages["person"].content.decode()  # the address, as written

    for response in (client.get("/api/persons", {"q": number}), client.get(f"/api/persons/{number}")):
        assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    detail = client.get(f"/api/persons/{number}").json()
    assert detail["name"] == _squeezed(payload) and detail["contact"]["address"] == payload
    assert {p["employer"] for p in detail["periods"]} == {_squeezed(payload)}
    assert (
        json.loads(client.get("/api/persons", {"q": person.name}).content)["candidates"][0]["name"]
        == person.name
    )
