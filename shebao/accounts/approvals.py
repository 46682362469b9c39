"""Approvals (审批) to copy, print or download objects of 秘密 and above.

A user requests; an administrator or archivist other than the requester approves for a
limited time.  Both steps are audited.  ``policy.can_export`` is the check exports use.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shebao.accounts import policy
from shebao.accounts.models import Approval
from shebao.audit import services as audit

DEFAULT_VALIDITY = dt.timedelta(days=1)


class ApprovalError(Exception):
    """``reason``: not_permitted | own_request | already_decided | bad_action."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def request(user, obj, action: str, reason: str = "") -> Approval:
    if action not in policy.EXPORT_ACTIONS:
        raise ApprovalError("bad_action", f"未知的操作：{action}")
    if policy.role_of(user) is None:
        raise ApprovalError("not_permitted", "无权申请")
    object_type, object_id = policy.object_key(obj)
    with transaction.atomic():
        approval = Approval.objects.create(
            requester=user, object_type=object_type, object_id=object_id, action=action, reason=reason[:300]
        )
        audit.record(
            user,
            "approval.request",
            object_type=object_type,
            object_id=object_id,
            purpose=reason,
            detail={"approval": approval.pk, "action": action},
        )
    return approval


def approve(approver, approval: Approval, *, valid_for: dt.timedelta = DEFAULT_VALIDITY) -> Approval:
    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        denied = None
        if not policy.can_approve(approver):
            denied = ApprovalError("not_permitted", "只有系统管理员或档案管理员可以审批")
        elif approval.requester_id == approver.pk:
            denied = ApprovalError("own_request", "不能审批自己的申请")
        elif approval.approved_at is not None or approval.rejected_at is not None:
            denied = ApprovalError("already_decided", "该申请已审批")
        if denied is not None:
            audit.record(
                approver,
                "approval.approve",
                object_type=approval.object_type,
                object_id=approval.object_id,
                detail={"approval": approval.pk, "reason": denied.reason},
                outcome="denied",
            )
        else:
            now = timezone.now()
            approval.approved_by, approval.approved_at, approval.expires_at = approver, now, now + valid_for
            approval.save(update_fields=["approved_by", "approved_at", "expires_at"])
            audit.record(
                approver,
                "approval.approve",
                object_type=approval.object_type,
                object_id=approval.object_id,
                detail={"approval": approval.pk, "requester": approval.requester.get_username()},
            )
    if denied is not None:
        raise denied
    return approval


def reject(approver, approval: Approval, reason: str = "") -> Approval:
    """驳回: same rule as ``approve`` (an administrator or archivist, not the requester)."""
    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        denied = None
        if not policy.can_approve(approver):
            denied = ApprovalError("not_permitted", "只有系统管理员或档案管理员可以审批")
        elif approval.requester_id == approver.pk:
            denied = ApprovalError("own_request", "不能审批自己的申请")
        elif approval.approved_at is not None or approval.rejected_at is not None:
            denied = ApprovalError("already_decided", "该申请已审批")
        detail = {"approval": approval.pk}
        if denied is not None:
            audit.record(
                approver,
                "approval.reject",
                object_type=approval.object_type,
                object_id=approval.object_id,
                detail={**detail, "reason": denied.reason},
                outcome="denied",
            )
        else:
            approval.rejected_by, approval.rejected_at = approver, timezone.now()
            approval.rejection_reason = reason[:300]
            approval.save(update_fields=["rejected_by", "rejected_at", "rejection_reason"])
            audit.record(
                approver,
                "approval.reject",
                object_type=approval.object_type,
                object_id=approval.object_id,
                purpose=reason,
                detail={**detail, "requester": approval.requester.get_username()},
            )
    if denied is not None:
        raise denied
    return approval


STATUS_LABELS = {"pending": "待审批", "approved": "已批准", "rejected": "已拒绝", "expired": "已过期"}


def status_of(approval: Approval, now=None) -> str:
    """pending | approved | rejected | expired (an approval lapses at ``expires_at``)."""
    if approval.rejected_at is not None:
        return "rejected"
    if approval.approved_at is None:
        return "pending"
    return "approved" if approval.expires_at and approval.expires_at > (now or timezone.now()) else "expired"
