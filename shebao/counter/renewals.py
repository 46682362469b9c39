"""The renewal queue (续保提醒): who to call, rebuilt daily, with the statuses clerks set kept.

Four reasons, thresholds from ``settings.SHEBAO_RENEWAL`` (``SHEBAO_RENEWAL_*``):

- ``stopped_below_minimum``: the last paid month is at least STOPPED_MONTHS before the last
  month due, and paid + deemed months are below the minimum for the person's retirement year;
- ``flexible_paid_up_ending``: a flexible worker's last paid month (灵活就业, paid ahead or not)
  ends within FLEXIBLE_DAYS days from today;
- ``retiring_short``: retirement age is reached within RETIRING_MONTHS months, short of the
  minimum (the months short are in the details);
- ``employer_arrears_grew``: an employer owes more months as of the last month due than as of
  the month before.

Rebuilding is idempotent: one entry per (person or employer, reason); its details are
refreshed, its status and notes kept; an entry no longer met is marked inactive, not deleted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shebao.audit import services as audit
from shebao.contributions.models import EmploymentSpan
from shebao.counter import access
from shebao.counter.models import RenewalEntry, RenewalEntryEvent
from shebao.counter.services import region_policy, retirement_of
from shebao.people import selectors
from shebao.people.models import Employer, Person
from shebao.people.services import PermissionDenied
from shebao.rules import history
from shebao.rules.months import Month, month_of_year, month_str, of_date, year_of
from shebao.rules.policy import RegionPolicy
from shebao.rules.retirement import statutory_retirement

Reason = RenewalEntry.Reason
Status = RenewalEntry.Status


def _month_end(month: Month) -> dt.date:
    year, number = year_of(month), month_of_year(month)
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def person_findings(person: Person, policy: RegionPolicy, today: dt.date, thresholds: dict) -> dict:
    """{reason: details} for one person (empty: nothing to follow up)."""
    if person.status in (Person.Status.RETIRED, Person.Status.DECEASED):
        return {}
    as_of = of_date(today) - 1
    found: dict[str, dict] = {}
    retirement = retirement_of(person, policy, as_of)
    result = retirement.result
    minimum = retirement.minimum_months
    if minimum is None:
        # A woman with no category: the earlier (worker) retirement gives the lower minimum.
        minimum = statutory_retirement(retirement.birth.month, "F", "worker").minimum_contribution_months
    so_far = retirement.months_so_far
    periods, _, _ = selectors.stored_history(person)  # not cut at as-of: flexible workers pay ahead
    last = max((p.end for p in periods), default=None)

    if last is not None and last <= as_of - thresholds["stopped_months"] and so_far < minimum:
        found[Reason.STOPPED] = {
            "last_paid": month_str(last),
            "months_stopped": as_of - last,
            "months_so_far": so_far,
            "minimum_months": minimum,
            "months_short": minimum - so_far,
            "category_needed": retirement.category_needed,
        }

    flexible = [p for p in periods if p.flexible]
    if flexible and last is not None and max(p.end for p in flexible) == last:
        ends = _month_end(last)
        days = (ends - today).days
        if 0 <= days <= thresholds["flexible_days"]:
            found[Reason.FLEXIBLE_ENDING] = {
                "paid_up_to": month_str(last),
                "ends_on": ends.isoformat(),
                "days": days,
            }

    if result is not None and so_far < minimum:
        current = of_date(today)
        ahead = result.retirement_month - current
        if 0 <= ahead <= thresholds["retiring_months"]:
            # months still payable before retirement if contributions restart now
            reachable = so_far + result.retirement_month - current + 1
            found[Reason.RETIRING_SHORT] = {
                "retirement_month": month_str(result.retirement_month),
                "months_to_retirement": ahead,
                "months_so_far": so_far,
                "minimum_months": minimum,
                "months_short": minimum - so_far,
                "short_even_if_paying_from_now": max(0, minimum - reachable),
            }
    return found


def employer_arrears_growth(policy: RegionPolicy, as_of: Month) -> dict[int, dict]:
    """{employer pk: details} for employers owing more months as of ``as_of`` than a month before."""
    now: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    person_ids = EmploymentSpan.objects.values_list("person_id", flat=True).distinct()
    for person in Person.objects.filter(pk__in=person_ids):
        periods, spans, _ = selectors.stored_history(person)
        paid = frozenset(m for p in history.cut_periods(periods, as_of) for m in range(p.start, p.end + 1))
        for employer, runs in history.arrears_runs(spans, paid, policy.pooling_start, as_of).items():
            for run in runs:
                now[employer] += run.months
                before[employer] += sum(1 for m in run if m <= as_of - 1)
    grew = {name: (now[name], before[name]) for name in now if now[name] > before[name]}
    return {
        e.pk: {
            "as_of": month_str(as_of),
            "arrears_months": grew[e.name][0],
            "arrears_months_before": grew[e.name][1],
            "growth": grew[e.name][0] - grew[e.name][1],
        }
        for e in Employer.objects.filter(name__in=list(grew))
    }


def rebuild_queue(
    today: dt.date | None = None,
    thresholds: dict | None = None,
    *,
    policy: RegionPolicy | None = None,
    actor=None,
) -> dict:
    """Rebuild the queue; returns counts.  Safe to run any number of times a day."""
    today = today or timezone.localdate()
    thresholds = {**settings.SHEBAO_RENEWAL, **(thresholds or {})}
    policy = policy or region_policy()
    found: dict[tuple[str, int, str], dict] = {}
    for person in Person.objects.all().order_by("pk").iterator(chunk_size=500):
        for reason, details in person_findings(person, policy, today, thresholds).items():
            found[("person", person.pk, reason)] = details
    for employer_pk, details in employer_arrears_growth(policy, of_date(today) - 1).items():
        found[("employer", employer_pk, Reason.ARREARS_GREW)] = details

    created = updated = 0
    with transaction.atomic():
        existing = {
            ("person" if e.person_id else "employer", e.person_id or e.employer_id, e.reason): e
            for e in RenewalEntry.objects.select_for_update()
        }
        for key, details in found.items():
            kind, pk, reason = key
            entry = existing.get(key)
            if entry is None:
                entry = RenewalEntry.objects.create(
                    reason=reason,
                    details=details,
                    refreshed_on=today,
                    **({"person_id": pk} if kind == "person" else {"employer_id": pk}),
                )
                RenewalEntryEvent.objects.create(
                    entry=entry, by=None, from_status="", to_status=entry.status, note="队列生成"
                )
                created += 1
            else:
                entry.details, entry.refreshed_on, entry.active = details, today, True
                entry.save(update_fields=["details", "refreshed_on", "active"])
                updated += 1
        gone = [e.pk for key, e in existing.items() if key not in found and e.active]
        RenewalEntry.objects.filter(pk__in=gone).update(active=False)
        by_reason = {r.value: sum(1 for k in found if k[2] == r.value) for r in Reason}
        audit.record(
            actor or "system",
            "renewal.rebuild",
            detail={
                "today": today.isoformat(),
                "created": created,
                "updated": updated,
                "deactivated": len(gone),
            },
        )
    return {
        "today": today.isoformat(),
        "created": created,
        "updated": updated,
        "deactivated": len(gone),
        "by_reason": by_reason,
        "thresholds": thresholds,
    }


def set_status(user, entry: RenewalEntry, status: str, note: str = "") -> RenewalEntryEvent:
    """A clerk's status change (处理), with its note kept in the entry's history; audited."""
    if not access.can_work_renewals(user):
        raise PermissionDenied("not permitted to work the renewal queue")
    if status not in Status.values:
        raise ValueError(f"status must be one of {', '.join(Status.values)}")
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        entry = RenewalEntry.objects.select_for_update().get(pk=entry.pk)
        event = RenewalEntryEvent.objects.create(
            entry=entry, by=user, from_status=entry.status, to_status=status, note=note
        )
        entry.status = status
        if note:
            stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
            entry.notes = (
                entry.notes + "\n" if entry.notes else ""
            ) + f"[{stamp} {user.get_username()}] {note}"
        entry.save(update_fields=["status", "notes"])
        audit.record(
            user,
            "renewal.status",
            object_type="renewal_entry",
            object_id=entry.pk,
            detail={"from": event.from_status, "to": status},
        )
    return event


def entries(reason: str = "", status: str = "", *, include_inactive: bool = False):
    queryset = RenewalEntry.objects.select_related("person", "employer").prefetch_related("events__by")
    if not include_inactive:
        queryset = queryset.filter(active=True)
    if reason:
        queryset = queryset.filter(reason=reason)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("reason", "status", "id")


def describe(entry: RenewalEntry) -> str:
    """One line of what the entry is about, in the clerk's words."""
    d = entry.details or {}
    if entry.reason == Reason.STOPPED:
        return f"自 {d.get('last_paid')} 后停缴 {d.get('months_stopped')} 个月；已缴 {d.get('months_so_far')} 个月，差 {d.get('months_short')} 个月"
    if entry.reason == Reason.FLEXIBLE_ENDING:
        return f"灵活就业缴费至 {d.get('paid_up_to')}，{d.get('days')} 天后到期（{d.get('ends_on')}）"
    if entry.reason == Reason.RETIRING_SHORT:
        return (
            f"{d.get('retirement_month')} 到达退休年龄（{d.get('months_to_retirement')} 个月后），"
            f"已缴 {d.get('months_so_far')} 个月，差 {d.get('months_short')} 个月"
        )
    if entry.reason == Reason.ARREARS_GREW:
        return f"欠缴 {d.get('arrears_months')} 个月（上月 {d.get('arrears_months_before')} 个月）"
    return ""


def queue_workbook(rows, user) -> bytes:
    """The queue as xlsx (续保提醒导出); IDs masked for roles that may not see them in full."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from shebao.accounts import policy as access_policy
    from shebao.rules.idnumber import mask
    from shebao.web.xlsx import cell_value

    full = access_policy.can_see_full_id(user)
    book = Workbook()
    sheet = book.active
    sheet.title = "续保提醒"
    sheet.append(["原因", "对象", "身份证号", "联系电话", "情况", "状态", "备注", "更新日期"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for e in rows:
        who = e.person.name if e.person_id else e.employer.name
        number = (e.person.id_number if full else mask(e.person.id_number)) if e.person_id else ""
        phone = e.person.phone if e.person_id else ""
        values = [
            e.get_reason_display(),
            who,
            number,
            phone,
            describe(e),
            e.get_status_display(),
            e.notes,
            e.refreshed_on.isoformat(),
        ]
        sheet.append([cell_value(v) for v in values])
    for column, width in zip("ABCDEFGH", (22, 24, 22, 16, 50, 10, 40, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
