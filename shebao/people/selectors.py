"""Reads of persons: look-up by ID or name, and the contract's view of one history.

Permission checks and audit of reads live in the callers' service (``people.services``),
so that the CLI, the web UI and the API ask the same thing the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shebao.contributions.models import DoublePaid, EmploymentSpan, Period
from shebao.people.models import FormerIdNumber, Person, PersonName
from shebao.rules import history, idnumber
from shebao.rules.months import Month, month_str
from shebao.rules.names import normalise_name, pinyin_key

_ID_LIKE = re.compile(r"^[0-9]{14,17}[0-9X]$")


@dataclass
class LookUp:
    kind: str  # "id" | "name"
    persons: list[Person]
    how: str = ""  # exact | variant | homophone


def find_persons(query: str, base=None) -> LookUp:
    """Find persons by an 18/15-digit ID in any width or case, or by name.

    Names match exact names and name variants first, then same-sounding names
    (same pinyin without tones).  ``base`` is a permission-filtered queryset.
    """
    base = Person.objects.all() if base is None else base
    compact = idnumber.compact(query or "")
    if _ID_LIKE.match(compact):
        candidates = {compact}
        if len(compact) == 15:
            candidates.add(idnumber.to_18(compact))
        found = list(base.filter(id_number__in=candidates))
        if not found:
            former = FormerIdNumber.objects.filter(id_number__in=candidates).values_list(
                "person_id", flat=True
            )
            found = list(base.filter(pk__in=list(former)))
        return LookUp("id", found, "exact")
    name = normalise_name(query or "")
    if not name:
        return LookUp("name", [])
    exact = list(base.filter(name=name).order_by("birth_date", "id"))
    variant_ids = PersonName.objects.filter(name=name).values_list("person_id", flat=True)
    by_variant = list(base.filter(pk__in=list(variant_ids)).exclude(name=name).order_by("birth_date", "id"))
    if exact or by_variant:
        return LookUp("name", exact + by_variant, "exact" if exact and not by_variant else "variant")
    sound_ids = PersonName.objects.filter(pinyin=pinyin_key(name)).values_list("person_id", flat=True)
    return LookUp("name", list(base.filter(pk__in=list(sound_ids)).order_by("birth_date", "id")), "homophone")


def employers_of(person: Person) -> list[str]:
    names = set(
        Period.objects.filter(person=person, employer__isnull=False).values_list("employer__name", flat=True)
    )
    names |= set(EmploymentSpan.objects.filter(person=person).values_list("employer__name", flat=True))
    return sorted(names)


def candidate_json(person: Person) -> dict:
    return {
        "id_number": person.id_number,
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
        "employers": employers_of(person),
    }


def stored_history(person: Person):
    periods = [
        history.Period(
            p.start,
            p.end,
            p.employer.name if p.employer_id else None,
            p.base,
            p.flexible,
            tuple(p.sources.split(",")),
        )
        for p in Period.objects.filter(person=person).select_related("employer").order_by("start")
    ]
    spans = [
        history.EmploymentSpan(s.employer.name, s.start, s.end, s.source_row_id)
        for s in EmploymentSpan.objects.filter(person=person)
        .select_related("employer")
        .order_by("start", "id")
    ]
    doubles = [history.DoublePaid(d.month, tuple(d.payers)) for d in DoublePaid.objects.filter(person=person)]
    return periods, spans, doubles


def summary_of(person: Person, pooling_start: Month, as_of: Month) -> history.HistorySummary:
    periods, spans, doubles = stored_history(person)
    return history.summarise(periods, spans, pooling_start, as_of, doubles)


def person_json(person: Person, pooling_start: Month, as_of: Month) -> dict:
    """The contract's ``shebao person --json`` object."""
    summary = summary_of(person, pooling_start, as_of)
    names = sorted(PersonName.objects.filter(person=person).values_list("name", flat=True))
    decided = {d.field: d for d in person.decisions.all()}
    return {
        "id_number": person.id_number,
        "former_id_numbers": sorted(person.former_ids.values_list("id_number", flat=True)),
        "name": person.name,
        "name_variants": [n for n in names if n != person.name],
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "archive_birth_date": person.archive_birth_date or None,
        "category": person.category or None,
        "work_start": month_str(person.work_start) if person.work_start is not None else None,
        "as_of": month_str(as_of),
        "contribution_months": {"pension": summary.paid_months},
        "first_paid": _m(summary.first_paid),
        "last_paid": _m(summary.last_paid),
        "gaps": [
            {"from": month_str(g.start), "to": month_str(g.end), "months": g.months} for g in summary.gaps
        ],
        "interrupted_since": _m(summary.interrupted_since),
        "deemed_months": summary.deemed_months,
        "arrears_months": summary.arrears_months,
        "double_paid": [{"month": month_str(d.month), "payers": list(d.payers)} for d in summary.double_paid],
        "conflicts": [
            {
                "field": c.field,
                "values": c.values,
                "sources": c.sources,
                "resolved": c.field in decided,
                **({"decision": decided[c.field].value} if c.field in decided else {}),
            }
            for c in person.conflicts.all()
        ],
        "periods": [
            {
                "from": month_str(p.start),
                "to": month_str(p.end),
                "months": p.months,
                "employer": p.employer,
                "base": None if p.base is None else f"{p.base:.2f}",
                "flexible": p.flexible,
                "sources": list(p.sources),
            }
            for p in summary.periods
        ],
        "contact": {"phone": person.phone or None, "address": person.address or None},
    }


def _m(month: Month | None) -> str | None:
    return None if month is None else month_str(month)


# Month states of the timeline (缴费时间轴), one colour each on the person page.
PAID, BACKPAID, GAP, ARREARS, DEEMED, NONE = "paid", "backpaid", "gap", "arrears", "deemed", "none"


def backpaid_months(person: Person) -> set[Month]:
    from shebao.contributions.models import SourceRow

    months = set()
    for data in SourceRow.objects.filter(person=person, kind="backpay", status="accepted").values_list(
        "data", flat=True
    ):
        months.add(data["month"])
    return months


def timeline(person: Person, pooling_start: Month, as_of: Month) -> list[dict]:
    """Year × month grid from the first month of record to as-of: each month's state and what it is."""
    periods, spans, doubles = stored_history(person)
    summary = history.summarise(periods, spans, pooling_start, as_of, doubles)
    arrears = set().union(*history.unpaid_employment(spans, summary.paid, pooling_start, as_of).values())
    deemed = history.deemed_months(spans, pooling_start, as_of)
    backpaid = backpaid_months(person) & summary.paid
    gaps = {m for g in summary.gaps for m in g}
    marked = summary.paid | arrears | deemed
    if not marked:
        return []
    first_year, last_year = min(marked) // 12, max(as_of, max(marked)) // 12
    last_year = min(last_year, as_of // 12)
    years = []
    for year in range(first_year, last_year + 1):
        months = []
        for index in range(12):
            month = year * 12 + index
            if month > as_of:
                state = NONE
            elif month in backpaid:
                state = BACKPAID
            elif month in summary.paid:
                state = PAID
            elif month in arrears:
                state = ARREARS
            elif month in deemed:
                state = DEEMED
            elif month in gaps:
                state = GAP
            else:
                state = NONE
            months.append({"month": month_str(month), "state": state})
        years.append({"year": year, "months": months})
    return years
