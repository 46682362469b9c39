"""审批 (approvals) and 登录锁定 (lock-outs) in the web UI: request from a refused export,
approve or reject by someone else, and the administrator's unlock page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shebao.accounts import approvals
from shebao.accounts.models import Approval, LoginThrottle, Profile, Secrecy
from shebao.audit.models import AuditEntry
from shebao.contributions.models import SourceFile
from tests.conftest import PASSWORD
from tests.security.support import ID_TOP, build_world, id_number

REQUEST_LINK = "申请审批"


@pytest.fixture
def world(db, tmp_path, users):
    """``world.top`` is 秘密; the clerk is cleared for 秘密 (so only an approval is missing)."""
    world = build_world(tmp_path, users)
    Profile.objects.filter(user=users["counter_clerk"]).update(clearance=Secrecy.SECRET)
    Profile.objects.filter(user=users["archivist"]).update(clearance=Secrecy.SECRET)
    return world


def _as(username: str, world) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _print(client, person):
    return client.post(
        reverse("web:person_certificate", args=[person.pk]), {"kind": "proof", "as_of": "2026-11"}
    )


def _request(client, object_type: str, object_id, action: str, reason: str = "出具缴费证明"):
    return client.post(
        reverse("web:approval_new"),
        {"type": object_type, "id": str(object_id), "action": action, "reason": reason},
    )


def test_print_request_approve_then_print(world):
    clerk = _as("counter_clerk", world)
    refused = _print(clerk, world.top)
    html = refused.content.decode()
    new_url = f"{reverse('web:approval_new')}?type=person&amp;id={world.top.pk}&amp;action=print"
    assert refused.status_code == 403 and REQUEST_LINK in html and new_url in html

    form = clerk.get(f"{reverse('web:approval_new')}?type=person&id={world.top.pk}&action=print")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    assert ID_TOP not in form.content.decode()  # described masked
    assert _request(clerk, "person", world.top.pk, "print", reason="").status_code == 400  # 必填
    assert _request(clerk, "person", world.top.pk, "print").status_code == 302
    approval = Approval.objects.get(requester=world.users["counter_clerk"])
    mine = clerk.get(reverse("web:approvals")).content.decode()
    assert "待审批" in mine and ID_TOP not in mine and ID_TOP[:4] + "*" * 10 + ID_TOP[-4:] in mine

    archivist = _as("archivist", world)
    pending = archivist.get(reverse("web:approvals")).content.decode()
    assert reverse("web:approval_approve", args=[approval.pk]) in pending
    assert 'class="count"' in pending  # the badge in the menu
    assert archivist.post(reverse("web:approval_approve", args=[approval.pk])).status_code == 302
    approval.refresh_from_db()
    assert approval.approved_by == world.users["archivist"]

    printed = _print(clerk, world.top)
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert "已批准" in clerk.get(reverse("web:approvals")).content.decode()
    actions = set(AuditEntry.objects.values_list("action", "actor", "outcome"))
    assert {("approval.request", "counter_clerk", "ok"), ("approval.approve", "archivist", "ok")} <= actions


def test_download_of_rejections_request_and_approve(world):
    clerk = _as("counter_clerk", world)
    bad = id_number("19750101", "123")[:-1] + "0"  # wrong check digit: a rejected row
    content = f"身份证号,姓名,单位名称,起始年月,终止年月\n{bad},错号,保定市甲机械厂,2001-01,2001-12\n"
    response = clerk.post(reverse("web:import"), {"files": [SimpleUploadedFile("bad.csv", content.encode())]})
    run_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    SourceFile.objects.filter(path="bad.csv").update(secrecy=Secrecy.SECRET)
    url = reverse("web:import_rejections", args=[run_id])
    refused = clerk.get(url)
    assert refused.status_code == 403 and REQUEST_LINK in refused.content.decode()
    assert f"type=import_run&amp;id={run_id}&amp;action=download" in refused.content.decode()
    assert _request(clerk, "import_run", run_id, "download", "退回原单位更正").status_code == 302
    approval = Approval.objects.get(requester=world.users["counter_clerk"])
    assert _as("admin", world).post(reverse("web:approval_approve", args=[approval.pk])).status_code == 302
    assert clerk.get(url).status_code == 200


def test_self_approval_is_refused_with_the_services_message(world):
    archivist = _as("archivist", world)
    assert _request(archivist, "person", world.top.pk, "print").status_code == 302
    approval = Approval.objects.get(requester=world.users["archivist"])
    assert (
        reverse("web:approval_approve", args=[approval.pk])
        not in archivist.get(reverse("web:approvals")).content.decode()
    )
    response = archivist.post(reverse("web:approval_approve", args=[approval.pk]), follow=True)
    assert "不能审批自己的申请" in response.content.decode()
    approval.refresh_from_db()
    assert approval.approved_at is None
    assert AuditEntry.objects.filter(action="approval.approve", actor="archivist", outcome="denied").exists()


def test_reject_works_and_the_request_stays_refused(world):
    clerk = _as("counter_clerk", world)
    _request(clerk, "person", world.top.pk, "print")
    approval = Approval.objects.get()
    admin = _as("admin", world)
    reject_url = reverse("web:approval_reject", args=[approval.pk])
    assert "驳回须填写理由" in admin.post(reject_url, {"reason": ""}, follow=True).content.decode()
    assert admin.post(reject_url, {"reason": "理由不充分"}).status_code == 302
    approval.refresh_from_db()
    assert approval.rejected_by == world.users["admin"] and approval.rejection_reason == "理由不充分"
    assert "已拒绝" in clerk.get(reverse("web:approvals")).content.decode()
    assert _print(clerk, world.top).status_code == 403
    # decided once: approving afterwards is refused
    response = admin.post(reverse("web:approval_approve", args=[approval.pk]), follow=True)
    assert "该申请已审批" in response.content.decode()
    approval.refresh_from_db()
    assert approval.approved_at is None
    assert AuditEntry.objects.filter(action="approval.reject", actor="admin", outcome="ok").exists()


@pytest.mark.parametrize(
    ("approver", "requester", "reason"),
    [
        ("admin", "counter_clerk", None),
        ("archivist", "counter_clerk", None),
        ("archivist", "archivist", "own_request"),
        ("counter_clerk", "archivist", "not_permitted"),
        ("auditor", "counter_clerk", "not_permitted"),
    ],
)
def test_reject_service_follows_the_approval_rule(world, approver, requester, reason):
    approval = approvals.request(world.users[requester], world.top, "download", "核对")
    if reason is None:
        approvals.reject(world.users[approver], approval, "不需要")
        approval.refresh_from_db()
        assert approval.rejected_at is not None and approvals.status_of(approval) == "rejected"
    else:
        with pytest.raises(approvals.ApprovalError) as refused:
            approvals.reject(world.users[approver], approval, "不需要")
        assert refused.value.reason == reason
        approval.refresh_from_db()
        assert approval.rejected_at is None
        assert AuditEntry.objects.filter(action="approval.reject", actor=approver, outcome="denied").exists()


@pytest.mark.parametrize("username", ["counter_clerk", "auditor", "custody_officer", "employer_hr"])
def test_a_non_approver_cannot_approve_or_reject(world, username):
    approval = approvals.request(world.users["archivist"], world.top, "print", "核对")
    client = _as(username, world)
    assert client.post(reverse("web:approval_approve", args=[approval.pk])).status_code == 403
    assert client.post(reverse("web:approval_reject", args=[approval.pk]), {"reason": "x"}).status_code == 403
    approval.refresh_from_db()
    assert approval.approved_at is None and approval.rejected_at is None
    assert "待我审批" not in client.get(reverse("web:approvals")).content.decode()


def test_requesting_for_an_object_one_may_not_see_is_404_and_audited(world):
    client = _as("counter_clerk", world)
    response = client.get(
        f"{reverse('web:approval_new')}?type=person&id={world.secret.pk}&action=print"
    )  # 机密
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="approval.request", outcome="denied").exists()
    assert _request(client, "person", world.top.pk, "delete").status_code == 404  # unknown action
    assert not Approval.objects.exists()


def _lock(username: str, ip: str = "10.0.0.9") -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("web:login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_admin_lists_and_lifts_a_lockout(world):
    _lock("counter_clerk")
    _lock("130603197001011234")  # an ID-like user name is shown masked
    admin = _as("admin", world)
    html = admin.get(reverse("web:lockouts")).content.decode()
    assert "counter_clerk" in html and "10.0.0.9" in html
    assert "130603197001011234" not in html and "1306**********1234" in html
    throttle = LoginThrottle.objects.get(username="counter_clerk")
    assert admin.post(reverse("web:lockout_unlock", args=[throttle.pk])).status_code == 302
    assert not LoginThrottle.objects.filter(username="counter_clerk").exists()
    assert AuditEntry.objects.filter(action="login.unlock", actor="admin", outcome="ok").exists()
    login = Client().post(
        reverse("web:login"), {"username": "counter_clerk", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert login.status_code == 302


@pytest.mark.parametrize("username", ["counter_clerk", "archivist", "auditor"])
def test_lockouts_are_refused_to_others(world, username):
    _lock("custody_officer")
    throttle = LoginThrottle.objects.get()
    client = _as(username, world)
    assert client.get(reverse("web:lockouts")).status_code == 403
    assert client.post(reverse("web:lockout_unlock", args=[throttle.pk])).status_code == 403
    assert LoginThrottle.objects.filter(pk=throttle.pk, locked_until__isnull=False).exists()
    assert AuditEntry.objects.filter(action="login.unlock", actor=username, outcome="denied").exists()


def test_every_form_needs_the_csrf_token(world):
    _lock("custody_officer")
    throttle = LoginThrottle.objects.get()
    approval = approvals.request(world.users["counter_clerk"], world.top, "print", "核对")
    posts = {
        "counter_clerk": [
            (
                reverse("web:approval_new"),
                {"type": "person", "id": world.top.pk, "action": "print", "reason": "x"},
            )
        ],
        "archivist": [
            (reverse("web:approval_approve", args=[approval.pk]), {}),
            (reverse("web:approval_reject", args=[approval.pk]), {"reason": "x"}),
        ],
        "admin": [(reverse("web:lockout_unlock", args=[throttle.pk]), {})],
    }
    for username, forms in posts.items():
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(world.users[username])
        for url, data in forms:
            response = strict.post(url, data)
            assert response.status_code == 403 and "安全校验未通过" in response.content.decode(), url
    approval.refresh_from_db()
    assert approval.approved_at is None and approval.rejected_at is None
    assert Approval.objects.count() == 1 and LoginThrottle.objects.filter(pk=throttle.pk).exists()
