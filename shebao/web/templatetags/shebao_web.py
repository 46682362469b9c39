"""Template helpers of the web UI: permissions for the menu, and code labels."""

from __future__ import annotations

from django import template

from shebao.accounts import policy
from shebao.web import labels

register = template.Library()


@register.simple_tag
def may_import(user) -> bool:
    return policy.can_import(user)


@register.simple_tag
def may_read_audit(user) -> bool:
    return policy.can_read_audit(user)


@register.filter
def reason_label(code: str) -> str:
    return labels.reason_label(code)


@register.filter
def kind_label(code: str) -> str:
    return labels.KINDS.get(code, code)


@register.simple_tag
def pending_approvals(user) -> int:
    """Requests awaiting this approver (one count query; 0 for everyone else)."""
    if not policy.can_approve(user):
        return 0
    from shebao.accounts.models import Approval

    return (
        Approval.objects.filter(approved_at__isnull=True, rejected_at__isnull=True)
        .exclude(requester=user)
        .count()
    )
