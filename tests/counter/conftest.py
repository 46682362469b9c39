"""Fixtures of the counter tests: huey runs tasks in-process (no consumer), synthetic persons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def huey_immediate():
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before


def make_person(id_number: str, name: str, sex: str, birth: str, *, category: str = "", archive: str = ""):
    from shebao.people.models import Person

    return Person.objects.create(
        id_number=id_number,
        name=name,
        sex=sex,
        birth_date=dt.date.fromisoformat(birth),
        category=category,
        archive_birth_date=archive,
    )


def add_period(person, start: str, end: str, *, employer=None, base=None, flexible=False):
    from shebao.contributions.models import Period
    from shebao.people.models import Employer
    from shebao.rules.months import parse_month

    if isinstance(employer, str):
        employer, _ = Employer.objects.get_or_create(name=employer)
    return Period.objects.create(
        person=person,
        start=parse_month(start),
        end=parse_month(end),
        employer=employer,
        base=Decimal(base) if base is not None else None,
        flexible=flexible,
        sources="annual",
    )


def add_employment(person, employer_name: str, start: str, end: str):
    """A roster row proving employment ``start``..``end`` (both included)."""
    from shebao.contributions.models import EmploymentSpan, SourceFile, SourceRow
    from shebao.people.models import Employer
    from shebao.rules.months import parse_month

    employer, _ = Employer.objects.get_or_create(name=employer_name)
    source, _ = SourceFile.objects.get_or_create(
        content_hash=f"test-roster-{employer_name}",
        defaults={"path": "roster.csv", "size": 1, "kinds": "roster"},
    )
    row = SourceRow.objects.create(
        source_file=source,
        row=SourceRow.objects.filter(source_file=source).count() + 2,
        kind="roster",
        status="accepted",
        content_hash="x",
        cells=[],
        data={},
        person=person,
        employer=employer,
    )
    return EmploymentSpan.objects.create(
        person=person, employer=employer, start=parse_month(start), end=parse_month(end), source_row=row
    )
