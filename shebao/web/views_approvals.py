"""Approvals (审批) and lock-outs (登录锁定) in the web UI.

Requests, approvals and rejections go through ``accounts.approvals``; unlocking through
``accounts.lockout``: the services check the rules and write the audit log.  Objects are
described masked (``1306**********0766``, ``何*兰``): approvers may be below their clearance.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shebao.accounts import approvals, lockout, policy
from shebao.accounts.models import Approval, LoginThrottle, Role, Secrecy
from shebao.audit import services as audit
from shebao.contributions.models import ImportRun, SourceFile, SourceRow
from shebao.people.models import Person
from shebao.privacy import mask_ids_in_text, mask_name
from shebao.rules import idnumber

ACTION_LABELS = dict(Approval.Action.choices)
TYPE_LABELS = {
    "person": "人员档案",
    "source_file": "原始文件",
    "source_row": "原始记录",
    "import_run": "导入批次",
}
MAX_LISTED = 200


def approval_refusal(request, obj, action: str, message: str):
    """The 403 page with a link to request an approval (审批) for this object and action."""
    object_type, object_id = policy.object_key(obj)
    query = urlencode({"type": object_type, "id": object_id, "action": action})
    url = f"{reverse('web:approval_new')}?{query}"
    return render(request, "403.html", {"exception": message, "approval_url": url}, status=403)


def _file_name(source_file) -> str:
    return mask_ids_in_text(PurePosixPath(source_file.path or "").name)


def describe(object_type: str, object_id: str) -> str:
    """The object of a request, masked: no whole ID number, no whole name."""
    label = TYPE_LABELS.get(object_type, object_type)
    pk = int(object_id) if str(object_id).isdigit() else None
    if object_type == "person" and (person := Person.objects.filter(pk=pk).first()):
        return f"{label} {idnumber.mask(person.id_number)} {mask_name(person.name)}"
    if object_type == "source_file" and (source_file := SourceFile.objects.filter(pk=pk).first()):
        return f"{label} #{pk} {_file_name(source_file)}"
    if object_type == "source_row" and (
        row := SourceRow.objects.select_related("source_file").filter(pk=pk).first()
    ):
        return f"{label} #{pk}（{_file_name(row.source_file)} 第 {row.row} 行）"
    return f"{label} #{object_id}"


def _visible_object(user, object_type: str, object_id: str):
    """The object if this user may see it (the same rules as the pages that export it), else None."""
    if not object_id.isdigit():
        return None
    pk = int(object_id)
    if object_type == "person":
        return policy.persons_visible_to(user).filter(pk=pk).first()
    if object_type == "source_file":
        return policy.source_files_visible_to(user).filter(pk=pk).first()
    if object_type == "source_row":
        row = SourceRow.objects.select_related("source_file", "person").filter(pk=pk).first()
        return row if row is not None and policy.can_view_source_row(user, row) else None
    if object_type == "import_run":
        run = ImportRun.objects.filter(pk=pk).first()
        if run is not None and (run.user_id == user.pk or policy.role_of(user) == Role.ADMIN):
            return run
    return None


def _row(approval: Approval, now) -> dict:
    status = approvals.status_of(approval, now)
    return {
        "a": approval,
        "object": describe(approval.object_type, approval.object_id),
        "action": ACTION_LABELS.get(approval.action, approval.action),
        "status": status,
        "status_label": approvals.STATUS_LABELS[status],
    }


@login_required
@require_http_methods(["GET"])
def approval_list(request):
    user, now = request.user, timezone.now()
    mine = Approval.objects.filter(requester=user).order_by("-id")[:MAX_LISTED]
    context = {"mine": [_row(a, now) for a in mine], "may_approve": policy.can_approve(user)}
    if context["may_approve"]:
        pending = (
            Approval.objects.filter(approved_at__isnull=True, rejected_at__isnull=True)
            .exclude(requester=user)
            .select_related("requester")
            .order_by("id")[:MAX_LISTED]
        )
        context["pending"] = [_row(a, now) for a in pending]
    context["may_unlock"] = policy.role_of(user) == Role.ADMIN
    return render(request, "web/approvals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def approval_new(request):
    """申请审批: the form reached from a refused export; the service records the request."""
    data = request.POST if request.method == "POST" else request.GET
    object_type = (data.get("type") or "")[:30]
    object_id = (data.get("id") or "")[:64]
    action = data.get("action") or ""
    obj = _visible_object(request.user, object_type, object_id)
    if obj is None or action not in policy.EXPORT_ACTIONS:
        audit.record(
            request.user,
            "approval.request",
            object_type=object_type,
            object_id=object_id,
            detail={"channel": "web", "reason": "not_found" if obj is None else "bad_action"},
            outcome="denied",
        )
        raise Http404("not found")
    context = {
        "object_type": object_type,
        "object_id": object_id,
        "action": action,
        "action_label": ACTION_LABELS[action],
        "object": describe(object_type, object_id),
        "secrecy": Secrecy(policy.secrecy_of(obj)).label,
        "needed": policy.needs_approval(obj),
        "above_clearance": policy.secrecy_of(obj) > policy.clearance_of(request.user),
        "reason": "",
        "error": "",
    }
    if request.method == "GET" or not context["needed"] or context["above_clearance"]:
        return render(request, "web/approval_new.html", context)
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        context["error"] = "请填写申请理由。"
        return render(request, "web/approval_new.html", context, status=400)
    try:
        approvals.request(request.user, obj, action, reason)
    except approvals.ApprovalError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, "申请已提交，请等待系统管理员或档案管理员审批。")
    return redirect("web:approvals")


def _approval_or_404(request, pk: int, action: str) -> Approval:
    approval = Approval.objects.select_related("requester").filter(pk=pk).first()
    if approval is None:
        audit.record(
            request.user,
            action,
            object_type="approval",
            object_id=pk,
            detail={"channel": "web", "reason": "not_found"},
            outcome="denied",
        )
        raise Http404("not found")
    return approval


def _decide(request, decide, done: str):
    try:
        decide()
    except approvals.ApprovalError as exc:
        if exc.reason == "not_permitted":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("web:approvals")


@login_required
@require_POST
def approval_approve(request, pk: int):
    approval = _approval_or_404(request, pk, "approval.approve")
    return _decide(request, lambda: approvals.approve(request.user, approval), "已批准，有效期一天。")


@login_required
@require_POST
def approval_reject(request, pk: int):
    approval = _approval_or_404(request, pk, "approval.reject")
    reason = (request.POST.get("reason") or "").strip()
    if not reason and policy.can_approve(request.user):
        messages.error(request, "驳回须填写理由。")
        return redirect("web:approvals")
    return _decide(request, lambda: approvals.reject(request.user, approval, reason), "已驳回。")


# ---------------------------------------------------------------- 登录锁定 (administrators)


def _require_admin(request, action: str) -> None:
    if policy.role_of(request.user) != Role.ADMIN:
        audit.record(request.user, action, object_type="user", outcome="denied")
        raise PermissionDenied("只有系统管理员可以管理登录锁定。")


@login_required
@require_http_methods(["GET"])
def lockouts(request):
    _require_admin(request, "login.lockouts")
    rows = LoginThrottle.objects.filter(locked_until__gt=timezone.now()).order_by("locked_until")
    shown = [
        {"pk": r.pk, "username": lockout.shown_username(r.username), "ip": r.ip, "until": r.locked_until}
        for r in rows
    ]
    return render(request, "web/lockouts.html", {"rows": shown})


@login_required
@require_POST
def lockout_unlock(request, pk: int):
    _require_admin(request, "login.unlock")
    row = LoginThrottle.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("not found")
    lockout.unlock(row.username, actor=request.user)
    messages.success(request, f"已解除 {lockout.shown_username(row.username)} 的登录锁定。")
    return redirect("web:lockouts")


urlpatterns = [
    path("approvals/", approval_list, name="approvals"),
    path("approvals/new/", approval_new, name="approval_new"),
    path("approvals/<int:pk>/approve/", approval_approve, name="approval_approve"),
    path("approvals/<int:pk>/reject/", approval_reject, name="approval_reject"),
    path("admin-tools/lockouts/", lockouts, name="lockouts"),
    path("admin-tools/lockouts/<int:pk>/unlock/", lockout_unlock, name="lockout_unlock"),
]
