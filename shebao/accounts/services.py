"""Creating users and the acting user of a command."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from shebao.accounts.models import Profile, Role, Secrecy
from shebao.audit import services as audit

ADMIN_USERNAME = "admin"


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    region_code: str = "",
    employer=None,
    clearance: int = Secrecy.INTERNAL,
    actor=None,
):
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        if role == Role.ADMIN:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        Profile.objects.create(
            user=user, role=role, region_code=region_code, employer=employer, clearance=clearance
        )
        audit.record(
            actor or "system",
            "user.create",
            object_type="user",
            object_id=user.pk,
            detail={"username": username, "role": role},
        )
    return user


def admin_password_file() -> Path:
    return Path(settings.VAR_DIR) / "admin-password"


def ensure_admin() -> tuple[object, str | None]:
    """The administrator account `shebao init` creates; returns (user, new password or None)."""
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is not None:
        return user, None
    password = os.environ.get("SHEBAO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    user = create_user(ADMIN_USERNAME, password, Role.ADMIN, clearance=Secrecy.TOP_SECRET)
    path = admin_password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return user, password


def acting_user():
    """The user a command acts as: `SHEBAO_USER`, default the administrator."""
    username = os.environ.get("SHEBAO_USER", ADMIN_USERNAME)
    User = get_user_model()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        if username == ADMIN_USERNAME:
            user, _ = ensure_admin()
        else:
            raise LookupError(f"SHEBAO_USER={username!r}: no such active user")
    return user
