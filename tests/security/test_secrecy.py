"""Secrecy levels (密级) against clearance, declassification dates, and approvals (审批)
for copying, printing and downloading 秘密 and above."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shebao.accounts import approvals, policy
from shebao.accounts.models import Approval, Profile, Secrecy
from shebao.audit.models import AuditEntry
from shebao.contributions.models import SourceFile, SourceRow
from tests.security.support import ID_B, ID_DECLASSIFIED, ID_SECRET, ID_TOP, build_world, id_number


@pytest.fixture
def world(db, tmp_path, users):
    return build_world(tmp_path, users)


def _denied(actor: str, action: str, object_id) -> bool:
    return AuditEntry.objects.filter(
        actor=actor, action=action, object_id=str(object_id), outcome="denied"
    ).exists()


def test_a_clerk_opening_a_confidential_person_gets_403_and_is_audited(client, world):
    client.force_login(world.users["counter_clerk"])
    response = client.get(reverse("web:person", args=[world.secret.pk]))
    assert response.status_code == 403 and "甲三" not in response.content.decode()
    assert _denied("counter_clerk", "person.view", world.secret.pk)


def test_the_api_answers_404_for_a_confidential_person_and_audits_it(client, world):
    client.force_login(world.users["counter_clerk"])
    assert client.get(f"/api/persons/{ID_SECRET}").status_code == 404
    assert _denied("counter_clerk", "person.view", world.secret.pk)


def test_employer_hr_asking_the_api_for_another_employers_person_gets_404_audited(client, world):
    client.force_login(world.hr_a)
    assert client.get(f"/api/persons/{ID_B}").status_code == 404
    assert _denied("hr_a", "person.view", world.b.pk)
    assert client.get("/api/persons", {"q": ID_B}).json()["candidates"] == []


def test_search_does_not_find_what_is_above_clearance(client, world):
    client.force_login(world.users["counter_clerk"])
    for number in (ID_SECRET, ID_TOP):
        html = client.post(reverse("web:search"), {"q": number}).content.decode()
        assert "未找到相符的人员" in html


def test_clearance_opens_what_it_covers(client, world):
    Profile.objects.filter(user=world.users["counter_clerk"]).update(clearance=Secrecy.CONFIDENTIAL)
    client.force_login(world.users["counter_clerk"])
    assert client.get(reverse("web:person", args=[world.secret.pk])).status_code == 200
    assert client.get(reverse("web:person", args=[world.top.pk])).status_code == 200


def test_a_declassified_person_is_open_from_the_declassification_date(client, world):
    client.force_login(world.users["counter_clerk"])
    assert client.get(f"/api/persons/{ID_DECLASSIFIED}").status_code == 200
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    type(world.declassified).objects.filter(pk=world.declassified.pk).update(declassify_on=tomorrow)
    assert client.get(f"/api/persons/{ID_DECLASSIFIED}").status_code == 404


@pytest.mark.parametrize(
    ("secrecy", "declassify_in_days", "visible"),
    [
        (Secrecy.PUBLIC, None, True),
        (Secrecy.INTERNAL, None, True),
        (Secrecy.SECRET, None, False),
        (Secrecy.CONFIDENTIAL, None, False),
        (Secrecy.TOP_SECRET, None, False),
        (Secrecy.TOP_SECRET, 0, True),  # declassified today
        (Secrecy.TOP_SECRET, 1, False),  # tomorrow
    ],
)
def test_policy_against_an_internal_clearance(world, secrecy, declassify_in_days, visible):
    on = None if declassify_in_days is None else timezone.localdate() + dt.timedelta(days=declassify_in_days)
    type(world.a).objects.filter(pk=world.a.pk).update(secrecy=secrecy, declassify_on=on)
    clerk = world.users["counter_clerk"]
    assert policy.can_view_person(clerk, world.a) is visible
    world.a.refresh_from_db()
    row = SourceRow.objects.filter(person=world.a).select_related("source_file", "person").first()
    assert policy.can_view_source_row(clerk, row) is visible


def test_a_row_from_a_secret_file_is_hidden_even_when_its_person_is_not(client, world):
    row = SourceRow.objects.filter(person=world.a).first()
    SourceFile.objects.filter(pk=row.source_file_id).update(secrecy=Secrecy.SECRET)
    client.force_login(world.users["archivist"])
    assert client.get(reverse("web:row", args=[row.pk])).status_code == 403
    assert _denied("archivist", "row.view", row.pk)


def test_below_secret_needs_no_approval_to_export(world):
    assert policy.can_export(world.users["counter_clerk"], world.a, "print")


def test_secret_and_above_needs_an_approval_by_someone_else(world):
    clerk, archivist, admin = (world.users[r] for r in ("counter_clerk", "archivist", "admin"))
    Profile.objects.filter(user=clerk).update(clearance=Secrecy.SECRET)
    clerk.refresh_from_db()
    assert not policy.can_export(clerk, world.top, "print")
    request = approvals.request(clerk, world.top, "print", "出具缴费证明")
    with pytest.raises(approvals.ApprovalError) as own:
        approvals.approve(clerk, request)
    assert own.value.reason == "not_permitted"  # a clerk approves nothing
    Profile.objects.filter(user=archivist).update(clearance=Secrecy.SECRET)
    archivists_own = approvals.request(archivist, world.top, "print")
    with pytest.raises(approvals.ApprovalError) as mine:
        approvals.approve(archivist, archivists_own)
    assert mine.value.reason == "own_request"
    assert not policy.can_export(clerk, world.top, "print")
    approvals.approve(admin, request)
    assert policy.can_export(clerk, world.top, "print")
    assert not policy.can_export(clerk, world.top, "download")  # approved for printing only
    assert not policy.can_export(world.users["archivist"], world.top, "print")  # for the requester only
    Approval.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not policy.can_export(clerk, world.top, "print")  # expired
    actions = list(AuditEntry.objects.filter(action__startswith="approval.").values_list("action", "outcome"))
    assert ("approval.request", "ok") in actions and ("approval.approve", "denied") in actions
    assert ("approval.approve", "ok") in actions


def test_an_approval_does_not_lift_clearance(world):
    clerk = world.users["counter_clerk"]  # clearance 内部
    request = approvals.request(clerk, world.secret, "print")
    approvals.approve(world.users["admin"], request)
    assert not policy.can_export(clerk, world.secret, "print")


def test_rejections_download_of_a_secret_import_needs_an_approval(client, world):
    clerk = world.users["counter_clerk"]
    Profile.objects.filter(user=clerk).update(clearance=Secrecy.SECRET)
    client.force_login(clerk)
    bad = id_number("19750101", "123")[:-1] + "0"  # wrong check digit: a rejected row
    content = f"身份证号,姓名,单位名称,起始年月,终止年月\n{bad},错号,保定市甲机械厂,2001-01,2001-12\n"
    response = client.post(
        reverse("web:import"), {"files": [SimpleUploadedFile("bad.csv", content.encode())]}
    )
    assert response.status_code == 302
    run_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    url = reverse("web:import_rejections", args=[run_id])
    assert client.get(url).status_code == 200  # 内部: no approval needed
    SourceFile.objects.filter(path="bad.csv").update(secrecy=Secrecy.SECRET)
    assert client.get(url).status_code == 403
    assert _denied("counter_clerk", "import.rejections", run_id)
    from shebao.contributions.models import ImportRun

    request = approvals.request(clerk, ImportRun.objects.get(pk=run_id), "download", "退回原单位更正")
    approvals.approve(world.users["archivist"], request)
    assert client.get(url).status_code == 200
