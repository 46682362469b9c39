"""Small things a new user tripped over: the renewal queue's columns, pages and phones; the
deemed-months wording; the favicon.  (The menu's wrapping is checked in a browser.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from shebao.counter.models import RenewalEntry
from shebao.people.models import Person
from shebao.rules import idnumber

pytestmark = pytest.mark.django_db

FAN_MEILING = "130681197606159465"  # truth.json: deemed_months 0
ZOU_YUMEI = "130602195607210766"  # truth.json: deemed_months 120


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def clerk_client(client, users):
    client.force_login(users["counter_clerk"])
    return client


def _id_number(serial: int) -> str:
    """A valid 18-digit number (GB 11643 check digit) of a man born 1970-01-01, serial 001…999."""
    body = f"13060219700101{serial:03d}"
    return body + idnumber.check_digit(body)


def _queue(count: int, *, phone_every: int = 2) -> list[Person]:
    people = []
    for i in range(1, count + 1):
        person = Person.objects.create(
            id_number=_id_number(i * 2 - 1),  # odd serials: men
            name=f"续保人{i:03d}",
            sex="M",
            birth_date=dt.date(1970, 1, 1),
            phone=f"1390000{i:04d}" if i % phone_every == 0 else "",
        )
        RenewalEntry.objects.create(
            person=person,
            reason=RenewalEntry.Reason.STOPPED,
            details={"last_paid": "2020-12", "months_stopped": 71, "months_so_far": 132, "months_short": 102},
            refreshed_on=dt.date(2026, 12, 4),
        )
        people.append(person)
    return people


def test_renewals_are_paged_50_at_a_time(clerk_client):
    _queue(120)
    first = _text(clerk_client.get(reverse("web:renewals")))
    assert "120 条，第 1 / 3 页" in first
    assert "续保人001" in first and "续保人050" in first and "续保人051" not in first
    third = clerk_client.get(reverse("web:renewals"), {"page": 3, "reason": "stopped_below_minimum"})
    assert "续保人120" in _text(third) and "续保人100" not in _text(third)
    assert "reason=stopped_below_minimum&amp;page=2" in third.content.decode()  # filters kept across pages


def test_renewals_show_the_phone_or_a_dash_and_a_link(clerk_client):
    without, with_phone = _queue(2)
    html = clerk_client.get(reverse("web:renewals")).content.decode()
    assert "13900000002" in html
    row = re.search(
        rf'<tr id="entry-\d+">\s*<td>[^<]*</td>\s*<td[^>]*><a href="[^"]*">{without.name}</a>.*?</tr>',
        html,
        re.S,
    )
    assert row is not None
    phone_cell = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)[3]
    assert "—" in phone_cell and reverse("web:person", args=[without.pk]) in phone_cell


def test_short_renewal_cells_do_not_wrap(clerk_client):
    _queue(1)
    html = clerk_client.get(reverse("web:renewals")).content.decode()
    assert '<td class="who nowrap">' in html and '<td class="status nowrap">' in html


@pytest.mark.parametrize(
    ("number", "shown", "hidden"),
    [
        (FAN_MEILING, "视同缴费月数 0 个月 ", "统筹前的在职月数"),
        (ZOU_YUMEI, "视同缴费月数 120 个月 （1987-01 统筹前的在职月数）", "前在职）"),
    ],
)
def test_deemed_months_wording(clerk_client, imported_sample, number, shown, hidden):
    person = Person.objects.get(id_number=number)
    text = _text(clerk_client.get(reverse("web:person", args=[person.pk])))
    assert shown in text
    assert hidden not in text


def test_favicon_is_linked_and_ico_redirects(client, users):
    client.force_login(users["counter_clerk"])
    html = client.get(reverse("web:search")).content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in html
    client.logout()  # browsers ask before logging in too
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.svg"
