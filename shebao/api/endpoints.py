"""The REST API (django-ninja, OpenAPI 3.1 at /api/docs).  Same policy and services as the web UI."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from shebao.accounts import policy as access
from shebao.people import selectors, services
from shebao.rules.months import parse_month, previous_month
from shebao.rules.policy import load_policy

api = NinjaAPI(
    title="shebao API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=login_required,  # the schema and its docs are for logged-in users only
)


class Candidate(Schema):
    id_number: str
    name: str
    birth_date: str
    employers: list[str]


class SearchResult(Schema):
    how: str
    candidates: list[Candidate]


@api.get("/persons", response=SearchResult, summary="Look persons up by ID number or name")
def search_persons(request: HttpRequest, q: str):
    found = selectors.find_persons(q, base=access.persons_visible_to(request.user))
    services.record_search(request.user, q, len(found.persons), channel="api")
    candidates = [selectors.candidate_json(p) for p in found.persons[:50]]
    if not access.can_see_full_id(request.user):
        from shebao.rules.idnumber import mask

        for c in candidates:
            c["id_number"] = mask(c["id_number"])
    if not access.can_see_full_name(request.user):
        from shebao.privacy import mask_name

        for c in candidates:
            c["name"] = mask_name(c["name"])
    return {"how": found.how, "candidates": candidates}


@api.get(
    "/persons/{id_number}", summary="One person's verified contribution history (the CLI's person --json)"
)
def person_detail(request: HttpRequest, id_number: str, as_of: str | None = None, purpose: str = ""):
    try:
        as_of_month = parse_month(as_of) if as_of else previous_month(dt.date.today())
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    found = selectors.find_persons(id_number)
    if found.kind != "id" or len(found.persons) != 1:
        services.record_search(request.user, id_number, 0, channel="api")
        raise HttpError(404, "not_found")
    try:
        # Out of scope or above clearance: audited as denied, answered like a miss (404).
        person = services.open_person(request.user, found.persons[0], purpose=purpose, channel="api")
    except services.PermissionDenied:
        raise HttpError(404, "not_found") from None
    data = selectors.person_json(person, load_policy_cached().pooling_start, as_of_month)
    if not access.can_see_full_id(request.user):
        from shebao.rules.idnumber import mask

        data["id_number"] = mask(data["id_number"])
        data["former_id_numbers"] = [mask(n) for n in data["former_id_numbers"]]
    return data


_policy_cache = {}


def load_policy_cached():
    from django.conf import settings

    key = settings.SHEBAO_POLICY
    if key not in _policy_cache:
        _policy_cache[key] = load_policy(key or None)
    return _policy_cache[key]
