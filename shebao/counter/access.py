"""Who may do what at the counter, on top of the one permission policy (``accounts.policy``).

Kept beside the counter's services so that the CLI, the web UI and the API ask the same
questions the same way; every answer starts from ``accounts.policy``.
"""

from __future__ import annotations

from shebao.accounts import policy
from shebao.accounts.models import Role

CERTIFICATE_ISSUERS = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.ADMIN}
ARREARS_READERS = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.ADMIN, Role.AUDITOR, Role.EMPLOYER_HR}
RENEWAL_WORKERS = {Role.COUNTER_CLERK, Role.ARCHIVIST, Role.ADMIN}  # change statuses
RENEWAL_READERS = RENEWAL_WORKERS | {Role.AUDITOR}  # read the queue and export it


def can_issue_certificate(user, person) -> bool:
    """Printing a certificate is an export: 秘密 and above also needs an approval to print."""
    return (
        policy.has_role(user, CERTIFICATE_ISSUERS)
        and policy.can_view_person(user, person)
        and policy.can_export(user, person, "print")
    )


def can_verify_certificate(user) -> bool:
    """Verification is open to every signed-in user of the agency (it shows a masked name only)."""
    return policy.role_of(user) is not None


def can_view_employer_arrears(user, employer) -> bool:
    """Clerks, archivists, auditors and admins see every employer; employer HR only their own."""
    role = policy.role_of(user)
    if role not in ARREARS_READERS:
        return False
    if role == Role.EMPLOYER_HR:
        return employer is not None and user.profile.employer_id == employer.pk
    return True


def can_read_renewals(user) -> bool:
    return policy.has_role(user, RENEWAL_READERS)


def can_work_renewals(user) -> bool:
    return policy.has_role(user, RENEWAL_WORKERS)
