"""The auditor's page (审计日志查询): filters, pages, export as xlsx or CSV.

For auditors and administrators only.  Reading and exporting the log are themselves
audited.  Exports go through ``shebao.exports`` (formula-injection safe).
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shebao.accounts import policy
from shebao.audit import services as audit
from shebao.audit.models import AuditEntry
from shebao.exports import csv_bytes, xlsx_bytes
from shebao.web import labels

PAGE_SIZE = 50
MAX_EXPORT = 200_000
OUTCOMES = [("", "全部"), *labels.AUDIT_OUTCOMES.items()]
# Exports keep the machine codes (操作, 结果) with a Chinese label column beside each.
HEADER = [
    "序号", "时间", "操作人", "操作", "操作说明", "对象类型", "对象编号", "对象",
    "查阅目的", "结果", "结果说明", "详情", "哈希",
]  # fmt: skip


def _action_choices() -> list:
    """The 操作 <select>: all, then per group "all of the group" (a code prefix) and each action."""
    choices = [("", "全部")]
    for group, actions in labels.AUDIT_ACTION_GROUPS.items():
        options = []
        for code, label in actions.items():
            prefix = code.split(".")[0] + "."
            if (
                prefix in labels.AUDIT_ACTION_PREFIXES
                and (prefix, labels.AUDIT_ACTION_PREFIXES[prefix]) not in options
            ):
                options.append((prefix, labels.AUDIT_ACTION_PREFIXES[prefix]))
            options.append((code, label))
        choices.append((group, options))
    return choices


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False, choices=_action_choices)
    object_type = forms.CharField(label="对象类型", required=False, max_length=50)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label="结果", required=False, choices=OUTCOMES)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered(data: dict):
    """The entries matching the filters, newest first."""
    entries = AuditEntry.objects.all()
    if data.get("actor"):
        entries = entries.filter(actor=data["actor"])
    if data.get("action"):
        action = data["action"]  # "login." is a whole group, "login.failure" one action
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    if data.get("object_type"):
        entries = entries.filter(object_type=data["object_type"])
    if data.get("object_id"):
        entries = entries.filter(object_id=data["object_id"])
    if data.get("date_from"):
        entries = entries.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("outcome"):
        entries = entries.filter(outcome=data["outcome"])
    return entries.order_by("-id")


def _row(e: AuditEntry) -> list:
    return [
        e.pk,
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        e.actor,
        e.action,
        labels.audit_action_label(e.action),
        e.object_type,
        e.object_id,
        labels.audit_object_label(e.object_type, e.object_id),
        e.purpose,
        e.outcome,
        labels.audit_outcome_label(e.outcome),
        json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
        e.hash,
    ]


def _shown(e: AuditEntry) -> dict:
    """One entry as the page shows it: Chinese labels, the code kept in a tooltip."""
    return {
        "entry": e,
        "action": labels.audit_action_label(e.action),
        "object": labels.audit_object_label(e.object_type, e.object_id),
        "outcome": labels.audit_outcome_label(e.outcome),
        "detail": labels.audit_detail_lines(e.detail),
    }


@login_required
@require_GET
def audit_log(request):
    if not policy.can_read_audit(request.user):
        audit.record(request.user, "audit.read", outcome="denied")
        raise PermissionDenied("只有审计员或系统管理员可以查看审计日志。")
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    shown = {k: str(v) for k, v in data.items() if v}
    entries = filtered(data)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        audit.record(request.user, "audit.export", detail={"format": export, "filters": shown})
        rows = (_row(e) for e in entries[:MAX_EXPORT])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if export == "csv":
            response = HttpResponse(csv_bytes(HEADER, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes(
                    [("审计日志", HEADER, rows)], widths={"B": 20, "D": 18, "E": 16, "H": 16, "L": 60}
                ),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{export}"'
        return response
    audit.record(request.user, "audit.read", detail={"filters": shown})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "export") and v}
    return render(
        request,
        "web/audit.html",
        {
            "form": form,
            "page": page,
            "rows": [_shown(e) for e in page.object_list],
            "query": urlencode(query),
        },
    )
