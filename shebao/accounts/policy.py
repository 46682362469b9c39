"""The one permission policy: "may this user do X to this object" (权限策略).

Every view, API endpoint, search, export and command asks here, the same way
(Wagtail's permission policies).  Roles × scope (region, employer) × clearance.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shebao.accounts.models import Role, Secrecy

PERSON_READERS = {
    Role.COUNTER_CLERK,
    Role.ARCHIVIST,
    Role.CUSTODY_OFFICER,
    Role.AUDITOR,
    Role.ADMIN,
    Role.EMPLOYER_HR,
}
FULL_ID_ROLES = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.CUSTODY_OFFICER, Role.ADMIN, Role.EMPLOYER_HR}
IMPORTERS = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.CUSTODY_OFFICER, Role.ADMIN}
DECIDERS = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.ADMIN}
AUDIT_READERS = {Role.AUDITOR, Role.ADMIN}


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def has_role(user, roles) -> bool:
    return role_of(user) in roles


def clearance_of(user) -> int:
    profile = getattr(user, "profile", None)
    return profile.clearance if profile else Secrecy.PUBLIC


def persons_visible_to(user) -> QuerySet:
    """Persons this user may look up: employer HR clerks see only their own employer's people."""
    from shebao.people.models import Person

    role = role_of(user)
    if role not in PERSON_READERS:
        return Person.objects.none()
    queryset = Person.objects.all()
    if role == Role.EMPLOYER_HR:
        employer_id = user.profile.employer_id
        if employer_id is None:
            return Person.objects.none()
        queryset = queryset.filter(
            Q(periods__employer_id=employer_id) | Q(employment__employer_id=employer_id)
        ).distinct()
    return queryset


def can_view_person(user, person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


def can_see_full_id(user) -> bool:
    return has_role(user, FULL_ID_ROLES)


def can_import(user) -> bool:
    return has_role(user, IMPORTERS)


def can_decide(user) -> bool:
    return has_role(user, DECIDERS)


def can_read_audit(user) -> bool:
    return has_role(user, AUDIT_READERS)
