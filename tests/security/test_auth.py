"""Authentication and the browser-facing defences: lock-out, Argon2, sessions, CSRF,
security headers, no inline scripts, debug off, the secret key file's permissions."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shebao.audit.models import AuditEntry
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "登录失败次数过多"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_five_failures_lock_the_name_from_that_address(client, users):
    for attempt in range(1, 5):
        response = _login(client, "counter_clerk", "wrong")
        assert response.status_code == 200 and LOCKED not in response.content.decode(), attempt
    response = _login(client, "counter_clerk", "wrong")  # the fifth failure locks
    assert LOCKED in response.content.decode()
    # now even the right password is refused, without being checked
    response = _login(client, "counter_clerk", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another address is not locked (name + address)
    assert _login(Client(), "counter_clerk", PASSWORD, ip="10.0.0.2").status_code == 302
    actions = list(AuditEntry.objects.filter(action__startswith="login.").values_list("action", "outcome"))
    assert actions.count(("login.failure", "denied")) == 5
    assert actions.count(("login.locked", "denied")) == 2  # when locking, and the refused attempt
    assert ("login.success", "ok") in actions


@pytest.mark.django_db
def test_lock_expires_after_fifteen_minutes(client, users):
    import datetime as dt

    from shebao.accounts.models import LoginThrottle

    for _ in range(5):
        _login(client, "archivist", "wrong")
    throttle = LoginThrottle.objects.get(username="archivist")
    LoginThrottle.objects.filter(pk=throttle.pk).update(
        locked_until=throttle.locked_until - dt.timedelta(minutes=15, seconds=1)
    )
    assert _login(client, "archivist", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="archivist").exists()  # success resets the count


@pytest.mark.django_db
def test_failures_of_an_id_like_user_name_are_audited_masked(client):
    _login(client, "130603197001011234", "wrong")
    entry = AuditEntry.objects.get(action="login.failure")
    assert "130603197001011234" not in str(entry.detail) + entry.actor
    assert entry.detail["username"] == "1306**********1234"


def test_argon2_hashes_new_passwords():
    from django.contrib.auth.hashers import get_hasher, make_password

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert get_hasher().algorithm == "argon2"
    assert make_password("Shebao-test-2024").startswith("argon2$")


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_session_cookie_is_not_persistent(client, users):
    response = _login(client, "counter_clerk", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # ends with the browser
    assert cookie["httponly"]


def _post_forms(html: str) -> list[str]:
    forms = re.findall(r"<form\b[^>]*>", html)
    return sorted(
        {re.search(r'action="([^"]*)"', f).group(1) for f in forms if re.search(r'method="post"', f, re.I)}
    )


@pytest.mark.django_db
def test_every_post_form_refuses_a_request_without_csrf_token(users, tmp_path):
    """Every POST form on the pages an administrator can open is found and posted to
    without a token: 403.  New forms are covered as soon as a page shows them."""
    from tests.security.support import build_world

    world = build_world(tmp_path, users)
    browser = Client()
    browser.force_login(users["admin"])
    pages = [reverse("web:login"), reverse("web:search"), reverse("web:import"), reverse("web:audit")]
    pages.append(reverse("web:person", args=[world.a.pk]))
    actions = set()
    for page in pages:
        html = browser.get(page).content.decode()
        actions.update(_post_forms(html))
    anonymous_html = Client().get(reverse("web:login")).content.decode()
    actions.update(_post_forms(anonymous_html))
    assert {
        reverse("web:login"),
        reverse("web:search"),
        reverse("web:logout"),
        reverse("web:import"),
    } <= actions
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["admin"])
    for action in sorted(actions):
        response = strict.post(action, {"q": "x", "username": "admin", "password": "x"})
        assert response.status_code == 403, action
        assert "安全校验未通过" in response.content.decode(), action
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("web:login"), {"username": "a", "password": "b"}).status_code == 403


@pytest.mark.django_db
def test_security_headers_on_every_page(client, users):
    client.force_login(users["counter_clerk"])
    for url in (reverse("web:search"), reverse("web:import"), reverse("web:login")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
    assert client.get(reverse("web:search"))["Cache-Control"] == "no-store"


def _templates() -> list[Path]:
    return sorted(p for p in (ROOT / "shebao").rglob("templates/**/*.html"))


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script(template):
    """The CSP forbids inline scripts: every <script> has a src (or is JSON data), no on*= handlers."""
    html = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        assert "src=" in tag or 'type="application/json"' in tag, f"{template.name}: inline {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), f"{template.name}: event handler attribute"
    assert "javascript:" not in html.lower()


def _settings_in_subprocess(env: dict, expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "shebao.settings", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for(tmp_path):
    assert _settings_in_subprocess({"SHEBAO_VAR": str(tmp_path)}, "settings.DEBUG") == "False"
    assert (
        _settings_in_subprocess({"SHEBAO_VAR": str(tmp_path), "SHEBAO_DEBUG": "1"}, "settings.DEBUG")
        == "True"
    )


def test_secret_key_file_is_created_readable_by_its_owner_only(tmp_path, monkeypatch):
    from shebao import config

    monkeypatch.delenv("SHEBAO_SECRET_KEY", raising=False)
    old = os.umask(0o000)  # even with a permissive umask
    try:
        key = config.secret_key(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 50 and config.secret_key(tmp_path) == key


def test_a_secret_key_file_readable_by_others_is_tightened(tmp_path, monkeypatch):
    from shebao import config

    monkeypatch.delenv("SHEBAO_SECRET_KEY", raising=False)
    path = tmp_path / "secret_key"
    path.write_text("k" * 60)
    path.chmod(0o644)
    assert config.secret_key(tmp_path) == "k" * 60
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    from shebao import config

    monkeypatch.setenv("SHEBAO_SECRET_KEY", "from-env-" + "x" * 50)
    assert config.secret_key(tmp_path) == "from-env-" + "x" * 50
    assert not (tmp_path / "secret_key").exists()
