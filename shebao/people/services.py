"""Actions on persons that must be checked and audited: viewing a record, deciding a conflict."""

from __future__ import annotations

from django.db import transaction

from shebao.accounts import policy
from shebao.audit import services as audit
from shebao.people.models import Decision, Person
from shebao.rules.idnumber import mask


class PermissionDenied(Exception):
    pass


def open_person(user, person: Person, *, purpose: str = "", channel: str = "web") -> Person:
    """Every read of a person's record goes through here: checked, then audited."""
    if not policy.can_view_person(user, person):
        audit.record(
            user,
            "person.view",
            object_type="person",
            object_id=person.pk,
            purpose=purpose,
            detail={"channel": channel},
            outcome="denied",
        )
        raise PermissionDenied("not permitted to view this person")
    if person.needs_reconcile:
        # New evidence arrived (an import is running, or one was interrupted): rebuild first,
        # so the counter never reads a half-updated history.
        from shebao.contributions.reconcile import reconcile_persons

        reconcile_persons([person.pk])
        person.refresh_from_db()
    audit.record(
        user,
        "person.view",
        object_type="person",
        object_id=person.pk,
        purpose=purpose,
        detail={"channel": channel, "id": mask(person.id_number)},
    )
    return person


def record_search(user, query: str, results: int, *, channel: str = "web") -> None:
    from shebao.rules.idnumber import compact

    shown = compact(query)
    shown = mask(shown) if shown[:1].isdigit() else (shown[:1] + "*" * max(len(shown) - 1, 0))
    audit.record(user, "person.search", detail={"query": shown, "results": results, "channel": channel})


DECIDABLE_FIELDS = {"name", "category", "work_start", "archive_birth_date", "birth_date", "sex"}


def decide(user, person: Person, field: str, value: str, reason: str) -> Decision:
    """A clerk's decision (认定) on a conflicting field; wins over every later import."""
    if not policy.can_decide(user):
        raise PermissionDenied("not permitted to decide")
    if field not in DECIDABLE_FIELDS:
        raise ValueError(f"field {field!r} cannot be decided")
    if not reason.strip():
        raise ValueError("a decision needs a reason")
    from shebao.contributions.reconcile import reconcile_persons

    with transaction.atomic():
        decision, _ = Decision.objects.update_or_create(
            person=person, field=field, defaults={"value": value, "reason": reason, "decided_by": user}
        )
        audit.record(
            user,
            "person.decide",
            object_type="person",
            object_id=person.pk,
            detail={"field": field, "reason": reason[:200]},
        )
        reconcile_persons([person.pk])
    return decision
