"""Log-in throttling and lock-out (登录限制与锁定).

``LIMIT`` failed log-ins of one user name from one address within ``WINDOW`` lock
that pair out for ``LOCKOUT``.  While locked, the password is not even checked (a
correct guess gives nothing away).  Every outcome is audited: login.success,
login.failure, login.locked; a user name that looks like an ID number is masked.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shebao.accounts.models import LoginThrottle
from shebao.audit import services as audit
from shebao.privacy import looks_like_id, mask_ids_in_text

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
LOCKED_MESSAGE = (
    "登录失败次数过多，该账号在本机已被暂时锁定，请 15 分钟后再试。如需立即解锁，请联系系统管理员。"
)


def shown_username(username: str) -> str:
    """The user name as the audit log keeps it: masked when it looks like an ID number."""
    username = (username or "")[:150]
    return mask_ids_in_text(username) if looks_like_id(username) else username


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def is_locked(username: str, ip: str) -> bool:
    """True (and audited as login.locked) when this name and address are locked out now."""
    row = LoginThrottle.objects.filter(username=_key(username), ip=ip).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return False
    audit.record(
        shown_username(username),
        "login.locked",
        object_type="user",
        detail={"username": shown_username(username), "ip": ip, "until": row.locked_until.isoformat()},
        outcome="denied",
    )
    return True


def record_failure(username: str, ip: str) -> bool:
    """Count a failed log-in; returns True when this failure locks the pair out."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            username=_key(username), ip=ip, defaults={"window_start": now}
        )
        if row.window_start + WINDOW <= now or (row.locked_until and row.locked_until <= now):
            row.failures, row.window_start, row.locked_until = 0, now, None
        row.failures += 1
        locked = row.failures >= LIMIT
        if locked:
            row.locked_until = now + LOCKOUT
        row.save()
        detail = {"username": shown_username(username), "ip": ip, "failures": row.failures}
        audit.record(
            shown_username(username), "login.failure", object_type="user", detail=detail, outcome="denied"
        )
        if locked:
            audit.record(
                shown_username(username),
                "login.locked",
                object_type="user",
                detail={**detail, "until": row.locked_until.isoformat()},
                outcome="denied",
            )
    return locked


def record_success(user, ip: str) -> None:
    with transaction.atomic():
        LoginThrottle.objects.filter(username=_key(user.get_username()), ip=ip).delete()
        audit.record(user, "login.success", object_type="user", object_id=user.pk, detail={"ip": ip})


def unlock(username: str, *, actor) -> int:
    """An administrator lifts the lock-out of a user name (every address)."""
    with transaction.atomic():
        count, _ = LoginThrottle.objects.filter(username=_key(username)).delete()
        audit.record(actor, "login.unlock", object_type="user", detail={"username": shown_username(username)})
    return count
