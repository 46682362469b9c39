"""The renewal queue (续保提醒): the four reasons, idempotent rebuilds, statuses kept, the page.

Today 2026-12-04, so the last month due is 2026-11; thresholds: stopped ≥ 3 months,
flexible paid-up period ending within 30 days, retirement within 24 months.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shebao.counter.models import RenewalEntry, RenewalEntryEvent
from shebao.counter.renewals import rebuild_queue, set_status
from shebao.counter.tasks import rebuild_renewal_queue
from shebao.people.models import Employer
from tests.counter.conftest import add_employment, add_period, make_person
from tests.integration.cli import run_json

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)
THRESHOLDS = {"stopped_months": 3, "flexible_days": 30, "retiring_months": 24}


@pytest.fixture
def people(db):
    # stopped: man 1975-08, paid 2010-01 … 2020-12 = 132 months; retires 2038-04 (original 2035-08,
    # k = 127, delay 32 → 62 y 8 m), minimum 180 + 6 × 9 = 234 → 102 short
    stopped = make_person("130602197508084599", "停缴者", "M", "1975-08-08")
    add_period(stopped, "2010-01", "2020-12", employer="测试机械厂", base="3000.00")
    # flexible: paid ahead to 2026-12, which ends 2026-12-31: 27 days from today
    flexible = make_person("130602198005053461", "灵活者", "F", "1980-05-05", category="cadre")
    add_period(flexible, "2020-01", "2026-12", base="4380.00", flexible=True)
    # retiring short: man 1967-01, original 2027-01, k = 24, delay 24 // 4 + 1 = 7 → 2027-08, 8 months
    # ahead; 2015-01 … 2026-11 = 143 months < 180 → 37 short; paying 2026-12 … 2027-08 (9) still 28 short
    retiring = make_person("130602196701011231", "临退者", "M", "1967-01-01")
    add_period(retiring, "2015-01", "2026-11", employer="测试机械厂", base="3000.00")
    # arrears grew: employed 2026-01 … 2026-11, paid to 2026-10: owes 2026-11 (none as of 2026-10)
    owing = make_person("130602196810105675", "欠缴者", "M", "1968-10-10")
    add_employment(owing, "测试新厂", "2026-01", "2026-11")
    add_period(owing, "2026-01", "2026-10", employer="测试新厂", base="4380.00")
    return {"stopped": stopped, "flexible": flexible, "retiring": retiring, "owing": owing}


def _entries():
    return {
        (e.person.name if e.person_id else e.employer.name, e.reason): e
        for e in RenewalEntry.objects.select_related("person", "employer")
    }


def test_rebuild_finds_each_reason(people):
    result = rebuild_queue(TODAY, THRESHOLDS)
    entries = _entries()
    assert set(entries) == {
        ("停缴者", "stopped_below_minimum"),
        ("灵活者", "flexible_paid_up_ending"),
        ("临退者", "retiring_short"),
        ("测试新厂", "employer_arrears_grew"),
    }
    assert result["created"] == 4
    stopped = entries[("停缴者", "stopped_below_minimum")].details
    assert (stopped["last_paid"], stopped["months_stopped"], stopped["months_short"]) == ("2020-12", 71, 102)
    flexible = entries[("灵活者", "flexible_paid_up_ending")].details
    assert (flexible["ends_on"], flexible["days"]) == ("2026-12-31", 27)
    retiring = entries[("临退者", "retiring_short")].details
    assert (retiring["retirement_month"], retiring["months_to_retirement"], retiring["months_short"]) == (
        "2027-08",
        8,
        37,
    )
    assert retiring["short_even_if_paying_from_now"] == 28
    grew = entries[("测试新厂", "employer_arrears_grew")].details
    assert (grew["arrears_months"], grew["arrears_months_before"]) == (1, 0)


def test_rebuild_is_idempotent_and_keeps_statuses(people, users):
    rebuild_queue(TODAY, THRESHOLDS)
    entry = _entries()[("停缴者", "stopped_below_minimum")]
    set_status(users["counter_clerk"], entry, "contacted", "电话已通知，考虑中")
    again = rebuild_queue(TODAY, THRESHOLDS)
    assert (again["created"], again["updated"], again["deactivated"]) == (0, 4, 0)
    assert RenewalEntry.objects.count() == 4
    entry.refresh_from_db()
    assert entry.status == "contacted" and "考虑中" in entry.notes
    assert [(e.from_status, e.to_status) for e in entry.events.all()] == [
        ("", "to_contact"),
        ("to_contact", "contacted"),
    ]
    # he restarts: no longer stopped; the entry is kept (inactive) with its status
    add_period(people["stopped"], "2026-06", "2026-11", base="4380.00", flexible=True)
    third = rebuild_queue(TODAY, THRESHOLDS)
    entry.refresh_from_db()
    assert (third["deactivated"], entry.active, entry.status) == (1, False, "contacted")


def test_thresholds_change_the_queue(people):
    rebuild_queue(TODAY, {"stopped_months": 3, "flexible_days": 20, "retiring_months": 6})
    reasons = {r for _, r in _entries()}
    assert "flexible_paid_up_ending" not in reasons and "retiring_short" not in reasons


def test_daily_task_runs_in_immediate_mode(people, huey_immediate):
    result = rebuild_renewal_queue(TODAY.isoformat())
    assert result()["created"] == 4  # immediate mode: already run, its result stored in memory


def test_queue_page_status_change_with_csrf_and_export(people, users):
    rebuild_queue(TODAY, THRESHOLDS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["counter_clerk"])
    page = client.get(reverse("web:renewals") + "?reason=stopped_below_minimum")
    text = page.content.decode()
    assert "停缴者" in text and "临退者" not in text
    entry = _entries()[("停缴者", "stopped_below_minimum")]
    url = reverse("web:renewal_status", args=[entry.pk])
    assert client.post(url, {"status": "declined"}).status_code == 403  # no CSRF token
    token = (
        page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    )
    response = client.post(url, {"status": "declined", "note": "不再续保", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "declined"
    event = RenewalEntryEvent.objects.filter(entry=entry).last()
    assert (event.by, event.to_status, event.note) == (users["counter_clerk"], "declined", "不再续保")
    assert "不再续保" in client.get(reverse("web:renewals") + "?status=declined").content.decode()
    xlsx = client.get(reverse("web:renewals_xlsx"))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("原因", "对象", "身份证号") and len(rows) == 5
    # auditors read and export but do not change statuses; HR does not see the queue
    auditor = Client()
    auditor.force_login(users["auditor"])
    assert auditor.get(reverse("web:renewals")).status_code == 200
    assert auditor.post(url, {"status": "contacted"}).status_code == 403
    hr = Client()
    hr.force_login(users["employer_hr"])
    assert hr.get(reverse("web:renewals")).status_code == 403


def test_cli_rebuild(people, capsys):
    code, first = run_json(capsys, "renewal-queue", "rebuild", "--today", TODAY.isoformat())
    code2, second = run_json(capsys, "renewal-queue", "rebuild", "--today", TODAY.isoformat())
    assert (code, code2, first["created"], second["created"], second["updated"]) == (0, 0, 4, 0, 4)
    assert Employer.objects.filter(name="测试新厂").exists()
