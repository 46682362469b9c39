"""Personal data: ID numbers masked in every log line, ID numbers and names masked in lists
for roles without full values, every read of a person or a source row audited with purpose."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.urls import reverse

from shebao.audit.models import AuditEntry
from shebao.contributions.models import SourceRow
from tests.integration.cli import run
from tests.security.support import ID_A, build_world

ID_18 = "130603197001011238"
ID_15 = "130603700101123"


@pytest.fixture
def world(db, tmp_path, users):
    return build_world(tmp_path, users)


def _console_handler():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(type(f).__name__ == "MaskIdNumbersFilter" for f in h.filters)
    ]
    assert handlers, "settings.LOGGING installs the masking filter on the console handler"
    return handlers[0]


@pytest.mark.parametrize(
    ("message", "args", "expected", "absent"),
    [
        ("looked up %s", (ID_18,), "looked up 1306**********1238", ID_18),
        ("old number %s", (ID_15,), "old number 1306*******1123", ID_15),
        (f"id={ID_18[:-1]}X in text", (), "id=1306**********123X in text", ID_18[:-1]),
        ("amount 1234567 is not an ID", (), "amount 1234567 is not an ID", None),
    ],
)
def test_log_lines_never_carry_a_whole_id_number(message, args, expected, absent):
    handler = _console_handler()
    stream = io.StringIO()
    old, handler.stream = handler.stream, stream
    try:
        logging.getLogger("shebao.tests.privacy").warning(message, *args)
    finally:
        handler.stream = old
    line = stream.getvalue()
    assert expected in line
    if absent:
        assert absent not in line


def test_ids_in_tracebacks_are_masked_too():
    handler = _console_handler()
    stream = io.StringIO()
    old, handler.stream = handler.stream, stream
    try:
        try:
            raise ValueError(f"bad person {ID_18}")
        except ValueError:
            logging.getLogger("shebao.tests.privacy").exception("failed")
    finally:
        handler.stream = old
    assert ID_18 not in stream.getvalue() and "1306**********1238" in stream.getvalue()


def test_api_search_masks_ids_and_names_for_the_auditor(client, world):
    client.force_login(world.users["auditor"])
    body = client.get("/api/persons", {"q": ID_A}).json()
    assert body["candidates"] == [
        {
            "id_number": "1306**********" + ID_A[-4:],
            "name": "甲*",
            "birth_date": "1970-01-01",
            "employers": ["保定市甲机械厂"],
        }
    ]
    client.force_login(world.users["counter_clerk"])
    assert client.get("/api/persons", {"q": ID_A}).json()["candidates"][0]["id_number"] == ID_A


def test_api_detail_masks_the_id_for_the_auditor(client, world):
    client.force_login(world.users["auditor"])
    body = client.get(f"/api/persons/{ID_A}").json()
    assert body["id_number"] == "1306**********" + ID_A[-4:] and ID_A not in json.dumps(body)


def test_web_search_list_masks_names_and_ids_for_the_auditor(client, world):
    client.force_login(world.users["auditor"])
    html = client.post(reverse("web:search"), {"q": "甲一"}, HTTP_HX_REQUEST="true").content.decode()
    assert "甲*" in html and "甲一" not in html and ID_A not in html


@pytest.mark.parametrize("channel", ["web", "api", "cli"])
def test_every_read_of_a_person_is_audited_with_its_purpose(client, world, capsys, monkeypatch, channel):
    clerk = world.users["counter_clerk"]
    if channel == "web":
        client.force_login(clerk)
        assert (
            client.get(reverse("web:person", args=[world.a.pk]), {"purpose": "续保审核"}).status_code == 200
        )
    elif channel == "api":
        client.force_login(clerk)
        assert client.get(f"/api/persons/{ID_A}", {"purpose": "续保审核"}).status_code == 200
    else:
        monkeypatch.setenv("SHEBAO_USER", "counter_clerk")
        code, _ = run(capsys, "person", ID_A, "--purpose", "续保审核")
        assert code == 0
    entry = AuditEntry.objects.filter(action="person.view").last()
    assert (entry.actor, entry.object_id, entry.purpose, entry.outcome) == (
        "counter_clerk",
        str(world.a.pk),
        "续保审核",
        "ok",
    )
    assert entry.detail["channel"] == channel and ID_A not in json.dumps(entry.detail)


def test_every_view_of_a_source_row_is_audited_with_its_purpose(client, world):
    client.force_login(world.users["archivist"])
    row = SourceRow.objects.filter(person=world.a).first()
    assert client.get(reverse("web:row", args=[row.pk]), {"purpose": "核对原件"}).status_code == 200
    entry = AuditEntry.objects.filter(action="row.view").last()
    assert (entry.actor, entry.object_id, entry.purpose, entry.outcome) == (
        "archivist",
        str(row.pk),
        "核对原件",
        "ok",
    )


def test_cli_lists_are_masked_for_the_auditor(world, capsys, monkeypatch):
    import tempfile
    from pathlib import Path

    from shebao.contributions.imports import import_paths
    from tests.security.support import annual_csv, id_number

    folder = Path(tempfile.mkdtemp())
    (folder / "more.csv").write_text(annual_csv([(id_number("19800101", "111"), "甲一", "保定市丙厂")]))
    import_paths([folder])
    monkeypatch.setenv("SHEBAO_USER", "auditor")
    code, out = run(capsys, "person", "甲一")
    assert code == 0 and "2 人匹配" in out
    assert ID_A not in out and "甲一" not in out and "1306**********" + ID_A[-4:] in out


def test_search_audit_never_holds_the_query_in_full(client, world):
    client.force_login(world.users["counter_clerk"])
    client.post(reverse("web:search"), {"q": ID_A})
    client.post(reverse("web:search"), {"q": "甲一"})
    details = [e.detail["query"] for e in AuditEntry.objects.filter(action="person.search")]
    assert details == ["1306**********" + ID_A[-4:], "甲*"]
