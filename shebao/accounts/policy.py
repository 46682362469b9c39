"""The one permission policy: "may this user do X to this object" (权限策略).

Every view, API endpoint, search, export and command asks here, the same way
(Wagtail's permission policies).  Roles × scope (region, employer) × clearance.

Secrecy (密级): a person or a source file above the user's clearance is invisible,
unless its ``declassify_on`` date (解密日期) has come.  Copying, printing or
downloading 秘密 and above needs an approval (审批): ``can_export``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

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
APPROVERS = {Role.ADMIN, Role.ARCHIVIST}
EXPORT_ACTIONS = {"copy", "print", "download"}
APPROVAL_FROM = Secrecy.SECRET  # 秘密 and above: copying, printing, downloading need an approval


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
    queryset = Person.objects.filter(_within_clearance(user))
    region = region_of(user)
    if region:
        # scoped to one agency's region: persons with records filed there
        queryset = queryset.filter(
            pk__in=SourceRowModel().objects.filter(source_file__region_code=region).values("person_id")
        )
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


def _today() -> dt.date:
    return timezone.localdate()


def region_of(user) -> str:
    """The region (统筹区 code) a user's agency covers; "" for every region."""
    profile = getattr(user, "profile", None)
    return profile.region_code if profile else ""


def SourceRowModel():  # noqa: N802 — the model class, imported late (policy is imported by models' apps)
    from shebao.contributions.models import SourceRow

    return SourceRow


def _within_clearance(user, prefix: str = "") -> Q:
    """Objects at or below the user's clearance, or declassified by today."""
    return Q(**{f"{prefix}secrecy__lte": clearance_of(user)}) | Q(**{f"{prefix}declassify_on__lte": _today()})


def effective_secrecy(obj) -> int:
    """The secrecy level of a person or source file today (公开 once declassified)."""
    declassify_on = getattr(obj, "declassify_on", None)
    if declassify_on is not None and declassify_on <= _today():
        return Secrecy.PUBLIC
    return getattr(obj, "secrecy", Secrecy.INTERNAL)


def within_clearance(user, obj) -> bool:
    return effective_secrecy(obj) <= clearance_of(user)


def source_files_visible_to(user) -> QuerySet:
    from shebao.contributions.models import SourceFile

    if role_of(user) is None:
        return SourceFile.objects.none()
    return SourceFile.objects.filter(_within_clearance(user))


def can_view_source_row(user, row) -> bool:
    """A row as imported: its file within clearance, and its person visible (or, for a
    rejected row with no person, the user is an importer)."""
    if role_of(user) is None or not within_clearance(user, row.source_file):
        return False
    region = region_of(user)
    if region and row.source_file.region_code != region:
        return False
    if row.person_id is None:
        return can_import(user)
    return persons_visible_to(user).filter(pk=row.person_id).exists()


def can_see_full_id(user) -> bool:
    return has_role(user, FULL_ID_ROLES)


def can_see_full_name(user) -> bool:
    """Full names in lists and exports; others see 何*兰."""
    return has_role(user, FULL_ID_ROLES)


def can_approve(user) -> bool:
    return has_role(user, APPROVERS)


def secrecy_of(obj) -> int:
    """Effective secrecy of what an export would copy: a person, a source file, a source
    row (its file and its person) or an import run (its files)."""
    from shebao.contributions.models import ImportRun, SourceRow

    if isinstance(obj, SourceRow):
        levels = [effective_secrecy(obj.source_file)]
        if obj.person_id is not None:
            levels.append(effective_secrecy(obj.person))
        return max(levels)
    if isinstance(obj, ImportRun):
        return max((effective_secrecy(f) for f in obj.source_files.all()), default=Secrecy.PUBLIC)
    return effective_secrecy(obj)


def object_key(obj) -> tuple[str, str]:
    """(object_type, object_id) as approvals and the audit log name an object."""
    from shebao.contributions.models import ImportRun, SourceFile, SourceRow
    from shebao.people.models import Person

    kinds = {Person: "person", SourceFile: "source_file", SourceRow: "source_row", ImportRun: "import_run"}
    for model, name in kinds.items():
        if isinstance(obj, model):
            return name, str(obj.pk)
    raise TypeError(f"no export policy for {type(obj).__name__}")


def needs_approval(obj) -> bool:
    return secrecy_of(obj) >= APPROVAL_FROM


def can_export(user, obj, action: str) -> bool:
    """May ``user`` copy / print / download ``obj``?  Below 秘密: yes if the user may see it.
    秘密 and above: only with an unexpired approval of this user, object and action.

    Whether the user may see the object at all (role, scope) is the caller's first
    check; this adds clearance and the approval.
    """
    if action not in EXPORT_ACTIONS:
        raise ValueError(f"unknown export action {action!r}")
    if role_of(user) is None or secrecy_of(obj) > clearance_of(user):
        return False
    if not needs_approval(obj):
        return True
    from shebao.accounts.models import Approval

    object_type, object_id = object_key(obj)
    return Approval.objects.filter(
        requester=user,
        object_type=object_type,
        object_id=object_id,
        action=action,
        approved_at__isnull=False,
        expires_at__gt=timezone.now(),
    ).exists()


def can_import(user) -> bool:
    return has_role(user, IMPORTERS)


def can_decide(user) -> bool:
    return has_role(user, DECIDERS)


def can_read_audit(user) -> bool:
    return has_role(user, AUDIT_READERS)
