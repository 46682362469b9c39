"""Rebuilding one verified history per person from all of their evidence (归集与核对).

Deterministic and idempotent: a person's periods, employment, conflicts, names and
former numbers are recomputed from scratch from their accepted rows, with a clerk's
decisions (认定) applied on top, so that re-running it never changes a result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from shebao.contributions.bulk import insert_rows, update_rows
from shebao.contributions.models import DoublePaid, EmploymentSpan, Period, SourceRow
from shebao.people.models import Conflict, Decision, Employer, FormerIdNumber, Person, PersonName
from shebao.rules import history, identity
from shebao.rules.dates import PartialDate
from shebao.rules.months import parse_month
from shebao.rules.names import pinyin_key

BATCH = 500


def pending_person_ids() -> list[int]:
    return list(Person.objects.filter(needs_reconcile=True).values_list("id", flat=True))


def reconcile_pending(progress=None) -> list[int]:
    """Rebuild every person marked as needing it; returns their ids."""
    ids = pending_person_ids()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        reconcile_persons(chunk)
        if progress:
            progress(len(chunk))
    return ids


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What reconciliation needs of an accepted row, read as plain values (no model instances)."""

    pk: int
    source_file_id: int
    kind: str
    data: dict
    employer_name: str | None
    reference: str  # file:sheet:row


def _evidence_of(person_ids: list[int]) -> dict[int, list[_Evidence]]:
    rows_by_person: dict[int, list[_Evidence]] = defaultdict(list)
    rows = (
        SourceRow.objects.filter(person_id__in=person_ids, status=SourceRow.Status.ACCEPTED)
        .order_by("source_file_id", "sheet", "row")
        .values_list(
            "pk",
            "person_id",
            "source_file_id",
            "source_file__path",
            "sheet",
            "row",
            "kind",
            "data",
            "employer__name",
        )
    )
    for pk, person_id, file_id, path, sheet, row, kind, data, employer in rows.iterator(chunk_size=5000):
        reference = f"{path}:{sheet}:{row}" if sheet else f"{path}:{row}"
        rows_by_person[person_id].append(_Evidence(pk, file_id, kind, data, employer, reference))
    return rows_by_person


def _records_of(rows: Iterable[_Evidence]):
    """Paid records, employment spans and identity observations from one person's rows."""
    records: list[history.PaidRecord] = []
    spans: list[history.EmploymentSpan] = []
    observations: list[identity.Observation] = []
    latest_paid_by_file: dict[int, int] = {}
    rows = list(rows)
    for row in rows:
        data = row.data
        months: list[tuple[int, int]] = []
        if row.kind == "annual":
            months = [(data["start"], data["end"])]
        elif row.kind == "backpay":
            months = [(data["month"], data["month"])]
        elif row.kind == "card":
            months = [tuple(pair) for pair in data["ranges"]]
        employer = row.employer_name
        base = Decimal(data["base"]) if data.get("base") else None
        for start, end in months:
            for month in range(start, end + 1):
                records.append(
                    history.PaidRecord(month, row.kind, employer, base, bool(data.get("flexible")), row.pk)
                )
            latest_paid_by_file[row.source_file_id] = max(
                latest_paid_by_file.get(row.source_file_id, end), end
            )
        if row.kind == "roster" and employer:
            span = history.employment_span(
                employer, data.get("entry"), data.get("leave"), data.get("reporting"), row.pk
            )
            if span:
                spans.append(span)
    for row in rows:
        data = row.data
        birth = data.get("birth_written")
        observations.append(
            identity.Observation(
                source=row.reference,
                file_id=row.source_file_id,
                kind=row.kind,
                name=data.get("name", ""),
                reporting_month=data.get("reporting"),
                latest_paid=latest_paid_by_file.get(row.source_file_id),
                birth_written=PartialDate(*birth) if birth else None,
                sex_written=data.get("sex_written"),
                work_start=data.get("work_start"),
                category_text=data.get("category_text"),
            )
        )
    return records, spans, observations


def reconcile_persons(person_ids: list[int]) -> None:
    with transaction.atomic():
        persons = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=person_ids)}
        rows_by_person = _evidence_of(person_ids)
        decisions: dict[int, dict[str, str]] = defaultdict(dict)
        for decision in Decision.objects.filter(person_id__in=person_ids):
            decisions[decision.person_id][decision.field] = decision.value
        employer_ids = dict(Employer.objects.values_list("name", "id"))

        for model in (Period, EmploymentSpan, Conflict, PersonName, FormerIdNumber, DoublePaid):
            model.objects.filter(person_id__in=person_ids).delete()

        periods, spans_out, conflicts, names, formers, doubles = [], [], [], [], [], []
        for person_id, person in persons.items():
            person_rows = rows_by_person.get(person_id, [])
            records, spans, observations = _records_of(person_rows)
            built_periods, double_paid = history.build_periods(records)
            ident = identity.reconcile_identity(observations, person.birth_date, person.sex)

            for p in built_periods:
                periods.append(
                    (
                        person_id,
                        p.start,
                        p.end,
                        employer_ids.get(p.employer) if p.employer else None,
                        p.base,
                        p.flexible,
                        ",".join(p.sources),
                    )
                )
            for span in spans:
                spans_out.append((person_id, employer_ids[span.employer], span.start, span.end, span.source))
            for conflict in ident.conflicts:
                conflicts.append((person_id, conflict.field, list(conflict.values), list(conflict.sources)))
            files_by_name: dict[str, set] = defaultdict(set)
            for obs in observations:
                files_by_name[obs.name].add(obs.file_id)
            for name, files in files_by_name.items():
                if name:
                    names.append((person_id, name, pinyin_key(name), len(files)))
            for former in sorted({r.data.get("former_id") for r in person_rows if r.data.get("former_id")}):
                formers.append((person_id, former))
            for d in double_paid:
                doubles.append((person_id, d.month, list(d.payers)))

            chosen = decisions.get(person_id, {})
            person.name = chosen.get("name", ident.name)
            person.category = chosen.get("category", ident.category or "")
            work_start = chosen.get("work_start")
            person.work_start = _month_or(work_start, ident.work_start)
            person.archive_birth_date = chosen.get(
                "archive_birth_date", str(ident.archive_birth_date) if ident.archive_birth_date else ""
            )
            contact = [r.data for r in person_rows if r.data.get("phone") or r.data.get("address")]
            if contact:
                latest = contact[-1]
                person.phone = person.phone or latest.get("phone", "")
                person.address = person.address or latest.get("address", "")
            person.needs_reconcile = False

        insert_rows(Period, ["person", "start", "end", "employer", "base", "flexible", "sources"], periods)
        insert_rows(EmploymentSpan, ["person", "employer", "start", "end", "source_row"], spans_out)
        insert_rows(Conflict, ["person", "field", "values", "sources"], conflicts)
        insert_rows(PersonName, ["person", "name", "pinyin", "files"], names)
        insert_rows(FormerIdNumber, ["person", "id_number"], formers)
        insert_rows(DoublePaid, ["person", "month", "payers"], doubles)
        fields = [
            "name",
            "category",
            "work_start",
            "archive_birth_date",
            "phone",
            "address",
            "needs_reconcile",
        ]
        update_rows(Person, fields, ([*(getattr(p, f) for f in fields), p.pk] for p in persons.values()))


def _month_or(decided: str | None, computed):
    return parse_month(decided) if decided else computed
