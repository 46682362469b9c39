"""Views of the web UI (网页界面): look-up, person record, source row, import.

Every read of a person goes through ``people.services.open_person`` (checked and
audited); look-ups are filtered by ``accounts.policy.persons_visible_to``.  Look-ups
are POSTed so that ID numbers and names never appear in URLs, logs or history.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shebao.accounts import policy
from shebao.accounts.models import Role
from shebao.audit import services as audit
from shebao.contributions.imports import import_paths, record_run
from shebao.contributions.models import ImportRun, SourceFile, SourceRow
from shebao.ingest.archive import ArchiveError, extract_zip, safe_parts
from shebao.people import selectors, services
from shebao.people.models import Person
from shebao.privacy import mask_name
from shebao.rules import idnumber
from shebao.rules.months import month_str, parse_month, previous_month
from shebao.rules.names import normalise_name
from shebao.rules.policy import load_policy
from shebao.web import labels, queries
from shebao.web.forms import AsOfForm, ImportForm, LoginForm, SearchForm
from shebao.web.views_approvals import approval_refusal
from shebao.web.xlsx import rejections_workbook

MAX_RESULTS = 50  # candidates listed for a name; a clerk narrows down with the ID
MAX_LISTED = 500  # rejected rows and warnings shown on the page; the xlsx has them all


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm  # throttling and lock-out


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:login")


@functools.lru_cache(maxsize=4)
def _policy(path: str):
    return load_policy(path or None)


def region_policy():
    return _policy(settings.SHEBAO_POLICY or "")


def _show_id(user, number: str) -> str:
    return number if policy.can_see_full_id(user) else idnumber.mask(number)


def _show_name(user, name: str) -> str:
    """Names in lists: full for roles allowed full values, else 何*兰."""
    return name if policy.can_see_full_name(user) else mask_name(name)


def _get_audited(request, queryset, pk, action: str, object_type: str):
    """The object, or 404 with the attempt in the audit log (guessed ids in URLs: IDOR)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        audit.record(
            request.user,
            action,
            object_type=object_type,
            object_id=pk,
            detail={"channel": "web", "reason": "not_found"},
            outcome="denied",
        )
        raise Http404("not found")
    return obj


def _person_url(person: Person, purpose: str = "") -> str:
    url = reverse("web:person", args=[person.pk])
    return f"{url}?{urlencode({'purpose': purpose})}" if purpose else url


# ---------------------------------------------------------------- look-up (查询)


def _partial_id_hint(query: str) -> str | None:
    """A message when the query is digits but not a whole ID number (nothing is looked up)."""
    text = idnumber.compact(query)
    if text and text[:-1].isdigit() and (text[-1].isdigit() or text[-1] == "X") and len(text) not in (15, 18):
        if len(text) < 15:
            return f"身份证号应为 18 位或 15 位，已输入 {len(text)} 位。"
        return f"身份证号应为 18 位或 15 位，已输入 {len(text)} 位，请核对。"
    return None


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    live = request.headers.get("HX-Request") == "true"
    template = "web/_results.html" if live else "web/search.html"
    if request.method == "GET":
        return render(request, template, {"form": SearchForm()})
    form = SearchForm(request.POST)
    context = {"form": form, "searched": False}
    if not form.is_valid():
        return render(request, template, context, status=200 if live else 400)
    query, purpose = form.cleaned_data["q"], form.cleaned_data["purpose"]
    hint = _partial_id_hint(query)
    if hint:
        context.update(hint=hint)
        return render(request, template, context)
    found = selectors.find_persons(query, base=policy.persons_visible_to(request.user))
    services.record_search(request.user, query, len(found.persons), channel="web")
    # Only an exact name or ID opens the record directly: a same-sounding or once-written
    # name may be someone else (梁冬 ≠ 梁东), so the clerk checks the ID number first.
    if len(found.persons) == 1 and found.how == "exact" and not live:
        return redirect(_person_url(found.persons[0], purpose))
    candidates = [
        {
            "url": _person_url(p, purpose),
            "id_number": _show_id(request.user, p.id_number),
            "name": _show_name(request.user, p.name),
            "birth_date": p.birth_date,
            "sex": labels.SEX.get(p.sex, ""),
            "employers": selectors.employers_of(p),
            # a variant match: the record once wrote the queried name, the person is now named otherwise
            "written_as": _show_name(request.user, normalise_name(query))
            if found.how == "variant" and p.name != normalise_name(query)
            else "",
        }
        for p in found.persons[:MAX_RESULTS]
    ]
    context.update(
        searched=True,
        kind=found.kind,
        how=found.how,
        candidates=candidates,
        total=len(found.persons),
        truncated=len(found.persons) > MAX_RESULTS,
    )
    return render(request, template, context)


# ---------------------------------------------------------------- person page (个人档案)


def _written(field: str, row: SourceRow) -> str:
    """What a row wrote for a conflicting field, for display beside its link."""
    data = row.data or {}
    if field == "name":
        return data.get("name") or ""
    if field in ("birth_date", "archive_birth_date"):
        parts = [p for p in (data.get("birth_written") or []) if p is not None]
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))
    if field == "work_start":
        return month_str(data["work_start"]) if data.get("work_start") is not None else ""
    if field == "category":
        return data.get("category_text") or ""
    if field == "sex":
        return labels.SEX.get(data.get("sex_written") or "", "")
    return ""


def _value_label(field: str, value) -> str:
    if field == "sex":
        return labels.SEX.get(value, value)
    if field == "category":
        return labels.CATEGORY.get(value, value)
    return "" if value is None else str(value)


@login_required
@require_GET
def person(request, pk: int):
    record = _get_audited(request, Person.objects, pk, "person.view", "person")
    form = AsOfForm(request.GET or None)
    default_as_of = previous_month(timezone.localdate())
    as_of = default_as_of
    if form.is_bound and form.is_valid() and form.cleaned_data["as_of"] is not None:
        as_of = form.cleaned_data["as_of"]
    purpose = (request.GET.get("purpose") or "")[:300]
    try:
        services.open_person(request.user, record, purpose=purpose, channel="web")
    except services.PermissionDenied:
        raise PermissionDenied("您无权查阅此人员的档案。") from None

    pooling_start = region_policy().pooling_start
    data = selectors.person_json(record, pooling_start, as_of)
    grid = selectors.timeline(record, pooling_start, as_of)
    user = request.user

    by_reference = queries.rows_by_reference(record)
    conflicts = []
    for conflict in data["conflicts"]:
        field = conflict["field"]
        # Each value with the rows that wrote it; a value no row wrote comes from the ID number.
        groups: dict[str, list] = {_value_label(field, v): [] for v in conflict["values"]}
        for reference in conflict["sources"]:
            row = by_reference.get(reference)
            written = _written(field, row) if row else ""
            groups.setdefault(_value_label(field, written) if written else "（未能确定）", []).append(
                {"reference": reference, "row": row}
            )
        conflicts.append(
            {
                "field": field,
                "label": labels.FIELDS.get(field, field),
                "values": [_value_label(field, v) for v in conflict["values"]],
                "resolved": conflict.get("resolved", False),
                "decision": _value_label(field, conflict.get("decision")) if conflict.get("resolved") else "",
                "groups": [
                    {
                        "value": value,
                        "sources": sources,
                        "from_id": not sources and field in ("birth_date", "sex"),
                    }
                    for value, sources in groups.items()
                ],
            }
        )
    conflict_fields = {c["field"] for c in conflicts if not c["resolved"]}

    period_rows = queries.rows_for_periods(
        record, [(parse_month(p["from"]), parse_month(p["to"])) for p in data["periods"]]
    )
    periods = []
    for period, rows in zip(data["periods"], period_rows, strict=True):
        kinds = set(period["sources"])
        if period["employer"]:
            payer = period["employer"]
        else:
            payer = "灵活就业" if period["flexible"] else "单位不详"
        periods.append(
            {
                **period,
                "payer": payer,
                "payer_known": bool(period["employer"]),
                "kinds": [labels.KINDS.get(k, k) for k in period["sources"]],
                "rows": [r for r in rows if r.kind in kinds] or rows,
            }
        )

    stopped_from = data["interrupted_since"] or "9999-99"  # months after the last paid one: 中断缴费

    def state_of(m: dict) -> str:
        if m["state"] == "none" and stopped_from <= m["month"] <= data["as_of"]:
            return "stopped"
        return m["state"]

    timeline = [
        {
            "year": year["year"],
            "paid": sum(1 for m in year["months"] if m["state"] in ("paid", "backpaid")),
            "months": [
                {
                    "month": m["month"],
                    "state": state,
                    "label": labels.MONTH_STATES[state][0],
                    "letter": labels.MONTH_STATES[state][1],
                }
                for m in year["months"]
                for state in [state_of(m)]
            ],
        }
        for year in grid
    ]
    legend = [
        (state, label, letter) for state, (label, letter) in labels.MONTH_STATES.items() if state != "none"
    ]

    identity = {
        "id_number": _show_id(user, data["id_number"]),
        "former_id_numbers": [_show_id(user, n) for n in data["former_id_numbers"]],
        "sex": labels.SEX.get(data["sex"], data["sex"]),
        "category": labels.CATEGORY.get(data["category"] or "", ""),
    }
    return render(
        request,
        "web/person.html",
        {
            "person": record,
            "p": data,
            "identity": identity,
            "conflicts": conflicts,
            "conflict_fields": conflict_fields,
            "periods": periods,
            "timeline": timeline,
            "legend": legend,
            "months_header": range(1, 13),
            "as_of": month_str(as_of),
            "as_of_is_default": as_of == default_as_of,
            "as_of_form": form if form.is_bound else AsOfForm(initial={"as_of": month_str(as_of)}),
            "purpose": purpose,
            "pooling_start": month_str(pooling_start),
            "arrears": sorted(data["arrears_months"].items()),
            "arrears_total": sum(data["arrears_months"].values()),
        },
    )


# ---------------------------------------------------------------- source row (原始记录)


def _may_view_row(user, row: SourceRow) -> bool:
    return policy.can_view_source_row(user, row)


def _mask_cell(user, value: str) -> str:
    """Cells holding an ID number are masked for users who may not see full numbers."""
    if policy.can_see_full_id(user):
        return value
    text = idnumber.compact(value or "")
    if len(text) in (15, 18) and text[:-1].isdigit():
        return idnumber.mask(text)
    return value


def _mask_export_cell(user, header, value):
    """ID numbers and names in exports, masked for roles not allowed full values."""
    if policy.can_see_full_id(user) and policy.can_see_full_name(user):
        return value
    if isinstance(value, str) and "姓名" in str(header or ""):
        return mask_name(value)
    return _mask_cell(user, value)


@login_required
@require_GET
def row(request, pk: int):
    source_row = _get_audited(
        request,
        SourceRow.objects.select_related("source_file", "person", "employer"),
        pk,
        "row.view",
        "source_row",
    )
    purpose = (request.GET.get("purpose") or "")[:300]
    if not _may_view_row(request.user, source_row):
        audit.record(
            request.user,
            "row.view",
            object_type="source_row",
            object_id=pk,
            purpose=purpose,
            outcome="denied",
        )
        raise PermissionDenied("您无权查看这条原始记录。")
    audit.record(request.user, "row.view", object_type="source_row", object_id=pk, purpose=purpose)
    cells = [(header, _mask_cell(request.user, value)) for header, value in (source_row.cells or [])]
    return render(
        request,
        "web/row.html",
        {
            "r": source_row,
            "cells": cells,
            "kind": labels.KINDS.get(source_row.kind, source_row.kind),
            "status": labels.ROW_STATUS.get(source_row.status, source_row.status),
            "reason": labels.reason_label(source_row.reason) if source_row.reason else "",
            "person_url": _person_url(source_row.person) if source_row.person_id else "",
        },
    )


# ---------------------------------------------------------------- import (导入)


class UploadError(Exception):
    pass


def _save_uploads(files, target: Path, limit: int) -> None:
    """Write the uploaded files under ``target`` by their names; zips are extracted in place."""
    budget = limit
    taken: set[str] = set()
    for upload in files:
        name = Path(upload.name or "").name
        try:
            parts = safe_parts(name)
        except ArchiveError as exc:
            raise UploadError(exc.message) from None
        if not parts:
            raise UploadError("上传的文件没有文件名。")
        if name.lower().endswith(".zip"):
            try:
                written = extract_zip(upload, target, max_total=budget)
            except ArchiveError as exc:
                raise UploadError(f"{name}：{exc.message}") from None
            for member in written:
                if member.casefold() in taken:
                    raise UploadError(f"文件重名：{member}")
                taken.add(member.casefold())
                budget -= (target / member).stat().st_size
            continue
        if name.casefold() in taken or (target / name).exists():
            raise UploadError(f"上传了两个同名文件：{name}。请分别导入，或打包为 zip 文件夹上传。")
        taken.add(name.casefold())
        budget -= upload.size
        if budget < 0:
            raise UploadError(f"上传文件总大小超过上限（{limit // (1024 * 1024)} MB）。")
        with open(target / name, "xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)


def _import_context(request, form, error: str = "") -> dict:
    runs = ImportRun.objects.filter(user=request.user).order_by("-id")[:10]
    return {
        "form": form,
        "error": error,
        "recent": runs,
        "limit_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Checks the size before the body is read (CSRF would read it), then hands over to the form."""
    if not policy.can_import(request.user):
        raise PermissionDenied("您无权导入数据。")
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.MAX_UPLOAD_BYTES + 1024 * 1024:
            message = f"上传文件总大小超过上限（{settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB），未导入。"
            return render(
                request, "web/import.html", _import_context(request, ImportForm(), message), status=413
            )
    return _import_page(request)


@csrf_protect
def _import_page(request):
    if request.method == "GET":
        return render(request, "web/import.html", _import_context(request, ImportForm()))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "web/import.html", _import_context(request, form), status=400)
    limit = settings.MAX_UPLOAD_BYTES
    files = form.cleaned_data["files"]
    if sum(f.size for f in files) > limit:
        message = f"上传文件总大小超过上限（{limit // (1024 * 1024)} MB），未导入。"
        return render(request, "web/import.html", _import_context(request, form, message), status=413)
    workdir = Path(tempfile.mkdtemp(prefix="shebao-upload-"))
    try:
        try:
            _save_uploads(files, workdir, limit)
        except UploadError as exc:
            return render(
                request,
                "web/import.html",
                _import_context(request, form, f"{exc} 未导入任何文件。"),
                status=400,
            )
        started = timezone.now()
        report = import_paths([workdir], user=request.user)
        run = record_run(report, request.user, "web")
        # record_run does not link the files it wrote; the rejections download needs them.
        run.source_files.set(
            SourceFile.objects.filter(
                imported_by=request.user, imported_at__gte=started, imported_at__lte=run.started_at
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return redirect("web:import_run", run_id=run.pk)


def _run_for(request, run_id: int) -> ImportRun:
    run = _get_audited(request, ImportRun.objects, run_id, "import.view", "import_run")
    if run.user_id != request.user.pk and policy.role_of(request.user) != Role.ADMIN:
        audit.record(
            request.user, "import.view", object_type="import_run", object_id=run_id, outcome="denied"
        )
        raise PermissionDenied("只有执行导入的用户或系统管理员可以查看此次导入。")
    return run


@login_required
@require_GET
def import_run(request, run_id: int):
    run = _run_for(request, run_id)
    report = run.report or {}
    rejected = report.get("rejected", [])
    file_errors = [r for r in rejected if not r.get("row")]
    row_rejections = [r for r in rejected if r.get("row")]
    for entry in rejected:
        entry["label"] = labels.reason_label(entry.get("reason", ""))
    warnings = report.get("warnings", [])
    for entry in warnings:
        entry["label"] = labels.warning_label(entry.get("code", ""))
    return render(
        request,
        "web/import_run.html",
        {
            "run": run,
            "r": report,
            "file_errors": file_errors,
            "rejections": row_rejections[:MAX_LISTED],
            "rejected_count": len(row_rejections),
            "warnings": warnings[:MAX_LISTED],
            "warning_count": len(warnings),
            "max_listed": MAX_LISTED,
        },
    )


@login_required
@require_GET
def import_rejections(request, run_id: int):
    run = _run_for(request, run_id)
    if not policy.can_export(request.user, run, "download"):
        audit.record(
            request.user,
            "import.rejections",
            object_type="import_run",
            object_id=run.pk,
            detail={"reason": "secrecy_needs_approval"},
            outcome="denied",
        )
        message = "此次导入含有秘密级及以上的文件：下载须先经系统管理员或档案管理员审批。"
        if policy.secrecy_of(run) > policy.clearance_of(request.user):
            raise PermissionDenied(message)  # an approval would not lift the clearance
        return approval_refusal(request, run, "download", message)
    rejected = (run.report or {}).get("rejected", [])
    rows = SourceRow.objects.filter(status=SourceRow.Status.REJECTED, source_file__in=run.source_files.all())
    cells = {
        (r.source_file.path, r.sheet or "", r.row): [
            [header, _mask_export_cell(request.user, header, value)] for header, value in (r.cells or [])
        ]
        for r in rows.select_related("source_file")
    }
    audit.record(
        request.user,
        "import.rejections",
        object_type="import_run",
        object_id=run.pk,
        detail={"rows": len(rejected)},
    )
    content = rejections_workbook(rejected, cells)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rejections-{run.pk}.xlsx"'
    return response
