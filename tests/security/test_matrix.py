"""Permission matrix: every URL the project serves (discovered from shebao.urls) against
anonymous users; each role × scope (employer HR own / other employer) × secrecy against
every person endpoint of the web UI and the API; guessed ids in URLs (IDOR).

New URL patterns are covered automatically: anonymous users are checked on all of them,
and every pattern under ``person/<int:pk>/`` or ``employer/<int:pk>/`` is checked with
persons and employers the user may not see.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shebao.accounts.models import Profile, Role, Secrecy
from shebao.accounts.services import create_user
from shebao.audit.models import AuditEntry
from shebao.contributions.models import SourceRow
from shebao.people.models import Employer
from tests.conftest import PASSWORD
from tests.security.support import EMPLOYER_A, EMPLOYER_B, build_world

# Pages anyone may open: without them no one could log in; "api/" is django-ninja's root,
# which serves nothing (404) unless DEBUG is on; "favicon.ico" only redirects to the static icon
# (browsers ask for it on the log-in page too).
PUBLIC = {"login/", "logout/", "api/", "favicon.ico"}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route in the URL configuration, as written (``person/<int:pk>/``)."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        assert not route.startswith("^"), (
            f"regex URL pattern {route!r}: give it a path() route so it is covered"
        )
        if isinstance(pattern, URLResolver):
            routes.extend(_routes(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + route)
    return routes


def _url(route: str, value: str | None = None) -> str:
    def fill(match):
        converter = match.group(1) or "str"
        return value if value is not None else SAMPLE.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


ROUTES = _routes()


def test_routes_are_discovered():
    assert {"login/", "", "person/<int:pk>/", "row/<int:pk>/", "audit/", "api/persons"} <= set(ROUTES)


def _denies_anonymous(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(reverse("web:login"))
    return response.status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r not in PUBLIC])
def test_every_non_public_url_denies_anonymous_users(route):
    client = Client()
    url = _url(route)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    assert _denies_anonymous(response), f"{url}: {response.status_code}"


# ---------------------------------------------------------------- role × scope × secrecy


@pytest.fixture
def world(db, tmp_path, users):
    world = build_world(tmp_path, users)
    cleared = create_user("cleared", PASSWORD, Role.ARCHIVIST, clearance=Secrecy.CONFIDENTIAL)
    world.users = {**users, "hr_a": world.hr_a, "hr_b": world.hr_b, "cleared": cleared}
    return world


# Who sees whom: a (甲厂, 内部), b (乙厂, 内部), secret (甲厂, 机密), declassified (甲厂, 绝密,
# declassified yesterday), top (乙厂, 秘密).  Everyone's clearance is 内部 except "cleared" (机密).
READERS = ["counter_clerk", "archivist", "custody_officer", "auditor", "admin"]
EXPECTED = {
    **{user: {"a", "b", "declassified"} for user in READERS},
    "cleared": {"a", "b", "declassified", "secret", "top"},
    "hr_a": {"a", "declassified"},
    "hr_b": {"b"},
    "employer_hr": set(),  # of an employer with no one in it
}
PERSONS = ["a", "b", "secret", "declassified", "top"]
PERSON_ROUTES = sorted(r for r in ROUTES if r.startswith("person/<int:pk>/"))
EMPLOYER_ROUTES = sorted(r for r in ROUTES if r.startswith("employer/<int:pk>/"))


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_person_endpoints_by_role_scope_and_secrecy(world, username):
    client = Client()
    client.force_login(world.users[username])
    for key in PERSONS:
        person = getattr(world, key)
        visible = key in EXPECTED[username]
        where = f"{username} → {key}"
        before = AuditEntry.objects.count()

        page = client.get(reverse("web:person", args=[person.pk]))
        assert page.status_code == (200 if visible else 403), where
        if not visible:
            assert AuditEntry.objects.filter(
                pk__gt=0, actor=username, action="person.view", object_id=str(person.pk), outcome="denied"
            ).exists(), where

        api = client.get(f"/api/persons/{person.id_number}")
        assert api.status_code == (200 if visible else 404), where
        found = client.get("/api/persons", {"q": person.id_number}).json()["candidates"]
        assert len(found) == (1 if visible else 0), where
        search = client.post(reverse("web:search"), {"q": person.id_number})
        if visible:
            assert search.status_code == 302 and search["Location"].startswith(f"/person/{person.pk}/"), where
        else:
            assert "未找到相符的人员" in search.content.decode(), where

        for row in SourceRow.objects.filter(person=person):
            status = client.get(reverse("web:row", args=[row.pk])).status_code
            assert status == (200 if visible else 403), where

        if not visible:
            for route in PERSON_ROUTES:
                url = _url(route, str(person.pk))
                response = client.get(url)
                if response.status_code == 405:
                    response = client.post(url)
                assert response.status_code in (403, 404), f"{where}: {url} {response.status_code}"
        assert AuditEntry.objects.count() > before, f"{where}: nothing audited"


@pytest.mark.parametrize(
    ("username", "own", "other"), [("hr_a", EMPLOYER_A, EMPLOYER_B), ("hr_b", EMPLOYER_B, EMPLOYER_A)]
)
def test_employer_hr_sees_no_other_employer(world, username, own, other):
    client = Client()
    client.force_login(world.users[username])
    other_pk = Employer.objects.get(name=other).pk
    for route in EMPLOYER_ROUTES:
        url = _url(route, str(other_pk))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"


# ---------------------------------------------------------------- IDOR


@pytest.mark.parametrize("username", ["hr_a", "counter_clerk", "auditor"])
def test_guessed_ids_in_urls_get_403_or_404_and_are_audited(world, username):
    client = Client()
    client.force_login(world.users[username])
    missing = 10**9
    audited = {
        reverse("web:person", args=[missing]): ("person.view", "person"),
        reverse("web:row", args=[missing]): ("row.view", "source_row"),
        reverse("web:import_run", args=[missing]): ("import.view", "import_run"),
        reverse("web:import_rejections", args=[missing]): ("import.view", "import_run"),
    }
    for url, (action, object_type) in audited.items():
        assert client.get(url).status_code == 404, url
        assert AuditEntry.objects.filter(
            actor=username, action=action, object_type=object_type, object_id=str(missing), outcome="denied"
        ).exists(), url
    # every route with an int id: a guessed id never succeeds
    for route in ROUTES:
        if "<int:" not in route:
            continue
        url = _url(route, str(missing))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"
    # and the API: a well-formed number nobody has
    assert client.get("/api/persons/110101199003074398").status_code == 404


def test_someone_elses_import_run_is_refused_and_audited(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["counter_clerk"])
    content = "身份证号,姓名,起始年月,终止年月\n1,错,2001-01,2001-12\n".encode()
    response = client.post(reverse("web:import"), {"files": [SimpleUploadedFile("x.csv", content)]})
    run_url = response["Location"]
    run_id = run_url.rstrip("/").rsplit("/", 1)[1]
    for username in ("archivist", "custody_officer", "auditor", "hr_a"):
        client.force_login(world.users[username])
        for url in (run_url, run_url + "rejections.xlsx"):
            assert client.get(url).status_code == 403, (username, url)
        assert AuditEntry.objects.filter(actor=username, object_id=run_id, outcome="denied").exists()


def test_clearance_changes_take_effect_at_once(world):
    client = Client()
    client.force_login(world.users["counter_clerk"])
    url = reverse("web:person", args=[world.secret.pk])
    assert client.get(url).status_code == 403
    Profile.objects.filter(user=world.users["counter_clerk"]).update(clearance=Secrecy.CONFIDENTIAL)
    assert client.get(url).status_code == 200
