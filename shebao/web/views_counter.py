"""Counter pages (窗口业务): the 退休与续保 panel, certificates, employer arrears, the renewal queue.

Same rules as ``views``: every read of a person goes through ``people.services.open_person``;
permissions come from ``accounts.policy`` (through ``counter.access``); state changes are POSTs
with CSRF.  Employer names are shown in full; persons' IDs masked for roles that may not see them.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shebao.accounts import policy
from shebao.certificates.render import PeriodData, yearly_rows
from shebao.certificates.render import _payer as render_payer
from shebao.counter import access, renewals
from shebao.counter import arrears as employer_arrears_service
from shebao.counter.certificates import issue_certificate, mask_name, verify_certificate
from shebao.counter.models import RenewalEntry
from shebao.counter.services import (
    BASE_RATIOS,
    CounterError,
    default_as_of,
    parse_ratio,
    plan_for,
    region_policy,
    retirement_of,
)
from shebao.people import selectors, services
from shebao.people.models import Employer, Person
from shebao.rules import idnumber
from shebao.rules.continuation import ContinuationError
from shebao.rules.months import month_str, parse_month
from shebao.web.views_approvals import approval_refusal

RENEWALS_PAGE_SIZE = 50  # 续保提醒: one page of the queue
OPTION_LABELS = {"pay_on": "延长缴费", "lump_sum": "一次性补缴", "residents_transfer": "转入城乡居民养老保险"}
CATEGORY_LABELS = {"male": "男职工（原退休年龄 60 岁）", "female55": "女干部（原退休年龄 55 岁）",
                   "female50": "女工人（原退休年龄 50 岁）"}  # fmt: skip


def _month_param(request, name: str, default):
    text = (request.GET.get(name) or request.POST.get(name) or "").strip()
    if not text:
        return default, ""
    try:
        return parse_month(text), ""
    except ValueError:
        return default, f"请按 YYYY-MM 填写年月（{text}）"


def _open(request, pk: int, purpose: str) -> Person:
    record = get_object_or_404(Person, pk=pk)
    try:
        services.open_person(request.user, record, purpose=purpose, channel="web")
    except services.PermissionDenied:
        raise PermissionDenied("您无权查阅此人员的档案。") from None
    return record


# --------------------------------------------------------------------------- 退休与续保


@login_required
@require_GET
def retirement_panel(request, pk: int):
    """The panel's body (htmx partial), or the plan alone when ``part=plan``."""
    record = _open(request, pk, "退休与续保")
    region = region_policy()
    as_of, as_of_error = _month_param(request, "as_of", default_as_of())
    restart, restart_error = _month_param(request, "restart", as_of + 1)
    ratio_text = request.GET.get("ratio") or "0.60"
    mode = "employed" if request.GET.get("mode") == "employed" else "flexible"
    retirement = retirement_of(record, region, as_of)
    context = {
        "person": record,
        "r": retirement.to_dict(),
        "category_label": CATEGORY_LABELS.get(retirement.result.category, "") if retirement.result else "",
        "retirement_explain": retirement.explain.to_dict(),
        "as_of": month_str(as_of),
        "restart": month_str(restart),
        "ratios": [(r, f"{Decimal(r):.0%}") for r in BASE_RATIOS],
        "ratio": ratio_text,
        "mode": mode,
        "error": as_of_error or restart_error,
        "may_decide": policy.can_decide(request.user),
        "category_choices": [("worker", "工人（原退休年龄 50 岁）"), ("cadre", "干部（原退休年龄 55 岁）")],
        "employers": employer_links(request.user, record),
    }
    if retirement.result is not None:
        try:
            ratio = parse_ratio(ratio_text)
            _, plan = plan_for(record, region, as_of=as_of, restart=restart, base_ratio=ratio, mode=mode)
            data = plan.to_dict()
            for option in data["options"]:
                option["label"] = OPTION_LABELS.get(option["kind"], option["kind"])
            context.update(plan=data, ratio_percent=f"{ratio:.0%}")
        except (CounterError, ContinuationError) as exc:
            context["plan_error"] = str(exc)
    template = (
        "web/counter/_plan.html" if request.GET.get("part") == "plan" else "web/counter/_retirement.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def set_category(request, pk: int):
    """A clerk sets a woman's post category (认定), audited by ``people.services.decide``."""
    record = _open(request, pk, "认定用工性质")
    value = request.POST.get("category") or ""
    reason = (request.POST.get("reason") or "").strip()
    if value not in ("worker", "cadre") or not reason:
        return HttpResponse("请选择用工性质并填写认定依据。", status=400)
    try:
        services.decide(request.user, record, "category", value, reason)
    except services.PermissionDenied:
        raise PermissionDenied("您无权认定。") from None
    return redirect(reverse("web:person", args=[pk]))


# --------------------------------------------------------------------------- certificates


@login_required
@require_POST
def certificate(request, pk: int):
    """Issue and return the PDF (a POST: every certificate issued is recorded)."""
    record = get_object_or_404(Person, pk=pk)
    kind = request.POST.get("kind") if request.POST.get("kind") in ("proof", "handbook") else "proof"
    as_of, _ = _month_param(request, "as_of", default_as_of())
    try:
        issued, pdf = issue_certificate(request.user, record, kind, as_of, channel="web")
    except services.PermissionDenied:
        user = request.user
        if (
            policy.has_role(user, access.CERTIFICATE_ISSUERS)
            and policy.can_view_person(user, record)
            and policy.needs_approval(record)
        ):  # only the approval is missing: offer to request one
            message = "此人员的档案为秘密级及以上：打印证明须先经系统管理员或档案管理员审批。"
            return approval_refusal(request, record, "print", message)
        raise PermissionDenied("您无权为此人员出具证明。") from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{issued.pk}-{kind}.pdf"'
    response["X-Verification-Code"] = issued.code
    return response


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not access.can_verify_certificate(request.user):
        raise PermissionDenied("您无权核验证明。")
    context = {"code": ""}
    if request.method == "POST":
        typed = (request.POST.get("code") or "")[:40]
        found = verify_certificate(request.user, typed)
        context["code"] = typed
        context["checked"] = True
        if found is not None:
            context["certificate"] = {
                "kind": found.get_kind_display(),
                "code": found.code,
                **_printed(found.payload),
            }
    return render(request, "web/counter/verify.html", context)


def _printed(payload: str) -> dict:
    """What the paper says, from the stored canonical content the code signs (not from today's
    record): a tampered PDF's changed months show up against these.  Name and ID masked."""
    content = json.loads(payload)
    person, summary = content.get("person") or {}, content.get("summary") or {}
    issued = dt.datetime.fromisoformat(content["issued_at"])
    stored = [PeriodData(**p) for p in content.get("periods") or []]
    periods = [
        {
            "from": p.from_month,
            "to": p.to_month,
            "payer": render_payer(p),
            "base": p.base or "—",
            "months": p.months,
        }
        for p in stored
    ]
    # the handbook prints one row per year (年度, 缴费月份), as render.yearly_table does
    yearly = [
        {
            "year": year,
            "span": f"{first % 12 + 1:02d} 月"
            if first == last
            else f"{first % 12 + 1:02d}–{last % 12 + 1:02d} 月",
            "payer": render_payer(p),
            "base": p.base or "—",
            "months": last - first + 1,
        }
        for year, first, last, p in yearly_rows(stored)
    ]
    return {
        "name": mask_name(person.get("name", "")),
        "id_number": idnumber.mask(person.get("id_number", "")),
        "as_of": content["as_of"],
        "as_of_cn": _month_cn(content["as_of"]),
        "issued": issued.date().isoformat(),
        "issued_cn": f"{issued.year}年{issued.month:02d}月{issued.day:02d}日",
        "office": content.get("issuing_office", ""),
        "paid_months": summary.get("paid_months"),
        "deemed_months": summary.get("deemed_months"),
        "first_paid": _month_cn(summary.get("first_paid")),
        "last_paid": _month_cn(summary.get("last_paid")),
        "periods": periods,
        "yearly": yearly if content.get("kind") == "handbook" else [],
        "periods_total": sum(p["months"] for p in periods),
        "gaps": [
            {"from": g["from_month"], "to": g["to_month"], "months": g["months"]}
            for g in content.get("gaps") or []
        ],
    }


def _month_cn(text: str | None) -> str:
    """YYYY年MM月, as the certificate prints months."""
    if not text:
        return "—"
    month = parse_month(text)
    return f"{month // 12}年{month % 12 + 1:02d}月"


# --------------------------------------------------------------------------- employer arrears


def _employer_for(request, pk: int) -> Employer:
    employer = get_object_or_404(Employer, pk=pk)
    if not access.can_view_employer_arrears(request.user, employer):
        raise PermissionDenied("您无权查看该单位的欠缴情况。")
    return employer


def _settle(request) -> tuple[dt.date, str]:
    text = (request.GET.get("settle") or "").strip()
    if not text:
        return timezone.localdate(), ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return timezone.localdate(), f"请按 YYYY-MM-DD 填写结算日期（{text}）"


@login_required
@require_GET
def employer(request, pk: int):
    record = _employer_for(request, pk)
    settle, error = _settle(request)
    as_of, as_of_error = _month_param(request, "as_of", default_as_of())
    result = employer_arrears_service.employer_arrears(
        request.user, record, region_policy(), as_of=as_of, settle=settle, channel="web"
    )
    data = result.to_dict(request.user)
    return render(
        request,
        "web/counter/employer.html",
        {
            "employer": record,
            "a": data,
            "settle": settle.isoformat(),
            "as_of": month_str(as_of),
            "error": error or as_of_error,
            "xlsx_url": reverse("web:employer_arrears_xlsx", args=[pk])
            + "?"
            + urlencode({"settle": settle.isoformat(), "as_of": month_str(as_of)}),
        },
    )


@login_required
@require_GET
def employer_arrears_xlsx(request, pk: int):
    record = _employer_for(request, pk)
    settle, _ = _settle(request)
    as_of, _ = _month_param(request, "as_of", default_as_of())
    result = employer_arrears_service.employer_arrears(
        request.user, record, region_policy(), as_of=as_of, settle=settle, channel="web-xlsx"
    )
    content = employer_arrears_service.arrears_workbook(result, request.user)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="arrears-{record.pk}-{settle.isoformat()}.xlsx"'
    return response


# --------------------------------------------------------------------------- renewal queue (续保提醒)


def _queue_filters(request) -> tuple[str, str]:
    reason = request.GET.get("reason") or ""
    status = request.GET.get("status") or ""
    reason = reason if reason in RenewalEntry.Reason.values else ""
    status = status if status in RenewalEntry.Status.values else ""
    return reason, status


@login_required
@require_GET
def renewal_queue(request):
    if not access.can_read_renewals(request.user):
        raise PermissionDenied("您无权查看续保提醒。")
    reason, status = _queue_filters(request)
    full = policy.can_see_full_id(request.user)
    page = Paginator(renewals.entries(reason, status), RENEWALS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for entry in page.object_list:
        rows.append(
            {
                "entry": entry,
                "who": entry.person.name if entry.person_id else entry.employer.name,
                "url": reverse("web:person", args=[entry.person_id])
                if entry.person_id
                else reverse("web:employer", args=[entry.employer_id]),
                "id_number": (entry.person.id_number if full else idnumber.mask(entry.person.id_number))
                if entry.person_id
                else "",
                "phone": entry.person.phone if entry.person_id else "",
                "what": renewals.describe(entry),
                "events": list(entry.events.all()),
            }
        )
    return render(
        request,
        "web/counter/renewals.html",
        {
            "rows": rows,
            "page": page,
            "page_query": urlencode({k: v for k, v in {"reason": reason, "status": status}.items() if v}),
            "reason": reason,
            "status": status,
            "reasons": RenewalEntry.Reason.choices,
            "statuses": RenewalEntry.Status.choices,
            "may_work": access.can_work_renewals(request.user),
            "export_url": reverse("web:renewals_xlsx")
            + "?"
            + urlencode({"reason": reason, "status": status}),
        },
    )


@login_required
@require_POST
def renewal_status(request, pk: int):
    entry = get_object_or_404(RenewalEntry, pk=pk)
    try:
        renewals.set_status(
            request.user, entry, request.POST.get("status") or "", request.POST.get("note") or ""
        )
    except services.PermissionDenied:
        raise PermissionDenied("您无权处理续保提醒。") from None
    except ValueError:
        return HttpResponse("状态无效。", status=400)
    back = request.POST.get("next") or ""
    if not back.startswith("/renewals/"):
        back = reverse("web:renewals")
    return redirect(back)


@login_required
@require_GET
def renewals_xlsx(request):
    if not access.can_read_renewals(request.user):
        raise PermissionDenied("您无权导出续保提醒。")
    reason, status = _queue_filters(request)
    from shebao.audit import services as audit

    audit.record(request.user, "renewal.export", detail={"reason": reason, "status": status})
    content = renewals.queue_workbook(renewals.entries(reason, status), request.user)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="renewals.xlsx"'
    return response


def employer_links(user, person: Person) -> list[dict]:
    """The person's employers, each with the link to its arrears page when the user may see it."""
    names = selectors.employers_of(person)
    by_name = {e.name: e for e in Employer.objects.filter(name__in=names)}
    return [
        {
            "name": name,
            "url": reverse("web:employer", args=[by_name[name].pk])
            if name in by_name and access.can_view_employer_arrears(user, by_name[name])
            else "",
        }
        for name in names
    ]


urlpatterns = [
    path("person/<int:pk>/retirement/", retirement_panel, name="person_retirement"),
    path("person/<int:pk>/category/", set_category, name="person_category"),
    path("person/<int:pk>/certificate/", certificate, name="person_certificate"),
    path("verify/", verify, name="verify"),
    path("employer/<int:pk>/", employer, name="employer"),
    path("employer/<int:pk>/arrears.xlsx", employer_arrears_xlsx, name="employer_arrears_xlsx"),
    path("renewals/", renewal_queue, name="renewals"),
    path("renewals/export.xlsx", renewals_xlsx, name="renewals_xlsx"),
    path("renewals/<int:pk>/status/", renewal_status, name="renewal_status"),
]
