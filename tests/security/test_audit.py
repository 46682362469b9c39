"""The audit log: append-only (ORM and database trigger), hash chain verified after a
realistic session and broken by any edited or deleted row; the auditor's page.

Tampering is simulated as an attacker with direct database access would do it: drop
the append-only trigger first (``shebao.audit.triggers.drop``), then UPDATE/DELETE in SQL.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from shebao.audit import services as audit
from shebao.audit import triggers
from shebao.audit.models import AppendOnlyError, AuditEntry
from shebao.cli import main
from shebao.people import services as people
from tests.conftest import PASSWORD
from tests.security.support import ID_A, ID_B, annual_csv, build_world, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, users):
    return build_world(tmp_path, users)


def _session(client, world) -> None:
    """Log-ins (one failed), look-ups, views, an import and a decision, through the real UI."""
    login = reverse("web:login")
    client.post(login, {"username": "counter_clerk", "password": "wrong"})
    assert client.post(login, {"username": "counter_clerk", "password": PASSWORD}).status_code == 302
    client.post(reverse("web:search"), {"q": ID_A, "purpose": "续保"})
    client.post(reverse("web:search"), {"q": "乙二"})
    client.get(reverse("web:person", args=[world.a.pk]), {"purpose": "续保"})
    client.get(reverse("web:person", args=[world.secret.pk]))  # denied
    client.get(f"/api/persons/{ID_B}")
    extra = annual_csv([(id_number("19760606", "678"), "甲六", "保定市甲机械厂")])
    client.post(reverse("web:import"), {"files": [SimpleUploadedFile("more.csv", extra.encode())]})
    people.decide(world.users["archivist"], world.a, "name", "甲一", "据原始档案认定")
    client.post(reverse("web:logout"))


def _verify(capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_verify_passes_after_a_realistic_session(client, world, capsys):
    _session(client, world)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "login.failure",
        "login.success",
        "person.search",
        "person.view",
        "import.file",
        "person.decide",
    } <= actions
    assert audit.verify().ok
    code, out = _verify(capsys)
    assert code == 0 and "audit log intact" in out


def _middle_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) > 10
    return entries[len(entries) // 2]


def test_verify_fails_after_one_row_is_altered_in_the_database(client, world, capsys):
    _session(client, world)
    target = _middle_entry()
    triggers.drop(connection)  # the attacker with database access
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = %s WHERE id = %s", ["改过的目的", target.pk])
    result = audit.verify()
    assert not result.ok and f"entry {target.pk}" in result.problem and "edited" in result.problem
    code, out = _verify(capsys)
    assert code == 1 and "AUDIT LOG DAMAGED" in out


def test_verify_fails_after_one_row_is_deleted(client, world, capsys):
    _session(client, world)
    target = _middle_entry()
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    result = audit.verify()
    assert not result.ok and "chain broken" in result.problem
    assert _verify(capsys)[0] == 1


def test_verify_fails_after_the_newest_row_is_deleted(client, world):
    _session(client, world)
    last = AuditEntry.objects.order_by("-id").first()
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    result = audit.verify()
    assert not result.ok and "newest entries were removed" in result.problem


def test_the_orm_refuses_to_change_or_delete_entries():
    entry = audit.record("tester", "test.action", detail={"k": 1})
    entry.purpose = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit.verify().ok


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditentry SET purpose = 'x'", "DELETE FROM audit_auditentry"],
)
def test_the_database_refuses_to_change_or_delete_entries(sql):
    audit.record("tester", "test.action")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 1 and audit.verify().ok


# ---------------------------------------------------------------- the auditor's page


def test_only_auditors_and_administrators_read_the_log(client, users):
    for role, status in [
        ("auditor", 200),
        ("admin", 200),
        ("counter_clerk", 403),
        ("archivist", 403),
        ("custody_officer", 403),
        ("employer_hr", 403),
    ]:
        client.force_login(users[role])
        assert client.get(reverse("web:audit")).status_code == status, role
    assert AuditEntry.objects.filter(action="audit.read", outcome="denied", actor="employer_hr").exists()


def test_filters_and_pages(client, users):
    for i in range(120):
        audit.record("clerk_x", "person.view", object_type="person", object_id=i, purpose=f"目的{i}")
    audit.record("clerk_y", "person.view", object_type="person", object_id=7, outcome="denied")
    client.force_login(users["auditor"])
    page = client.get(reverse("web:audit"), {"actor": "clerk_x"}).content.decode()
    assert "共 120 条" in page and "第 1 / 3 页" in page and "目的119" in page and "目的69" not in page
    page2 = client.get(reverse("web:audit"), {"actor": "clerk_x", "page": 2}).content.decode()
    assert "目的69" in page2 and "目的119" not in page2 and "actor=clerk_x" in page2
    denied = client.get(reverse("web:audit"), {"outcome": "denied", "action": "person."}).content.decode()
    assert "共 1 条" in denied and "clerk_y" in denied
    obj = client.get(reverse("web:audit"), {"object_type": "person", "object_id": "7"}).content.decode()
    assert "共 2 条" in obj
    future = client.get(reverse("web:audit"), {"date_from": "2999-01-01"}).content.decode()
    assert "共 0 条" in future
    today = client.get(reverse("web:audit"), {"actor": "clerk_y", "date_to": "2999-01-01"}).content.decode()
    assert "共 1 条" in today


def test_exports_are_formula_safe_and_audited(client, users):
    # A user name is attacker-controlled text: a failed log-in puts it into the log.
    client.post(reverse("web:login"), {"username": '=HYPERLINK("http://x")', "password": "x"})
    client.force_login(users["auditor"])
    response = client.get(reverse("web:audit"), {"action": "login.failure", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["序号", "时间", "操作人", "操作"]
    assert rows[1][2] == '\'=HYPERLINK("http://x")' and rows[1][3] == "login.failure"
    response = client.get(reverse("web:audit"), {"action": "login.failure", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][2] == '\'=HYPERLINK("http://x")'
    assert sheet.cell(row=2, column=3).data_type == "s"  # text, not a formula
    assert AuditEntry.objects.filter(action="audit.export", actor="auditor").count() == 2
