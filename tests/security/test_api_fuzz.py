"""Schemathesis against the API's own OpenAPI schema, in-process through WSGI,
authenticated as a counter clerk (and as an employer HR clerk): no request it can
build from the schema makes the server fail (no 5xx)."""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from shebao.wsgi import application
from tests.security.support import build_world


def _logged_in(user) -> tuple[Client, dict]:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return client, {name: client.cookies[name].value}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["counter_clerk", "hr_a"])
def test_no_request_built_from_the_schema_makes_the_api_fail(tmp_path, users, username):
    world = build_world(tmp_path, users)
    user = world.hr_a if username == "hr_a" else users[username]
    client, cookies = _logged_in(user)
    # The schema is for logged-in users: fetch it as the user, then call the app through WSGI.
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    schema.app = application
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/persons", "/api/persons/{id_number}"}
    # As Django's own test client does: a request must not close the test's connection
    # (it is inside the test's transaction; on PostgreSQL closing it would lose that).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        seen = {operation.path: _fuzz(operation, cookies) for operation in operations}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    for path, statuses in seen.items():
        assert 401 not in statuses and statuses & {200, 404}, (path, statuses)


def _fuzz(operation, cookies: dict) -> set[int]:
    """Call one operation with cases schemathesis builds from the schema; the statuses seen."""
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=max(hypothesis_settings.default.max_examples // 2, 10),  # ci: 100, deep: 2500
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        response = case.call(cookies=cookies)
        statuses.add(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"

    call()
    return statuses


@pytest.mark.django_db
def test_the_schema_is_for_logged_in_users_only():
    assert Client().get("/api/openapi.json").status_code == 302
    assert Client().get("/api/persons", {"q": "x"}).status_code == 401
