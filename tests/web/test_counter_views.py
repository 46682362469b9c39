"""The 退休与续保 panel through Django's test client (values hand-worked in tests/counter).

汤卫东: man, 1973-05 → retires 2035-07 at 62 y 2 m; minimum 216; 100 months → 116 short.
Continuing from 2026-12 at 60%: 0.6 × 7300 (the 2025 wage, none later) × 20% = 876.00 a month,
104 months = 91104.00; at 100%: 1460.00 a month, 151840.00.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shebao.people.models import Decision, Person

pytestmark = pytest.mark.django_db
TANG_WEIDONG = "130602197305269198"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def clerk_client(client, users, imported_sample):
    client.force_login(users["counter_clerk"])
    return client


def test_person_page_includes_the_panel(clerk_client):
    person = Person.objects.get(id_number=TANG_WEIDONG)
    page = clerk_client.get(reverse("web:person", args=[person.pk]) + "?as_of=2026-11").content.decode()
    assert 'id="retirement-panel"' in page
    assert reverse("web:person_retirement", args=[person.pk]) + "?as_of=2026-11" in page


def test_panel_shows_retirement_months_short_and_the_plan(clerk_client):
    person = Person.objects.get(id_number=TANG_WEIDONG)
    url = reverse("web:person_retirement", args=[person.pk])
    text = _text(clerk_client.get(url + "?as_of=2026-11"))
    assert "退休年月 2035-07" in text and "62 岁 2 个月" in text
    assert "最低缴费月数 216 个月" in text and "尚差月数 116 个月" in text
    assert "每月缴费 876.00 元" in text and "91104.00 元" in text and "仍差 12 个月" in text
    assert "计算说明" in text and "sample value set by the administrator" in text
    plan = _text(clerk_client.get(url + "?as_of=2026-11&part=plan&ratio=1.00"))
    assert "每月缴费 1460.00 元" in plan and "151840.00 元" in plan and "退休年月" not in plan


def test_panel_asks_for_a_womans_category_and_a_clerk_sets_it(clerk_client, users):
    from tests.counter.conftest import make_person

    person = make_person("130602197003012346", "测试乙", "F", "1970-03-01")
    url = reverse("web:person_retirement", args=[person.pk])
    text = _text(clerk_client.get(url + "?as_of=2026-11"))
    assert "需要认定用工性质" in text and "认定依据" in text
    response = clerk_client.post(
        reverse("web:person_category", args=[person.pk]), {"category": "cadre", "reason": "干部履历表"}
    )
    assert response.status_code == 302
    assert Decision.objects.get(person=person, field="category").value == "cadre"
    assert "退休年月 2025-04" in _text(clerk_client.get(url + "?as_of=2026-11"))
    assert (
        clerk_client.post(reverse("web:person_category", args=[person.pk]), {"category": "x"}).status_code
        == 400
    )


def test_panel_requires_permission(client, users, imported_sample):
    person = Person.objects.get(id_number=TANG_WEIDONG)
    url = reverse("web:person_retirement", args=[person.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(users["employer_hr"])  # an employer he never worked for
    assert client.get(url).status_code == 403
    client.force_login(users["auditor"])  # may read, may not decide
    response = client.post(
        reverse("web:person_category", args=[person.pk]), {"category": "cadre", "reason": "x"}
    )
    assert response.status_code == 403


def test_panel_explanations_show_chinese_labels_not_names(clerk_client):
    person = Person.objects.get(id_number=TANG_WEIDONG)
    text = _text(clerk_client.get(reverse("web:person_retirement", args=[person.pk]) + "?as_of=2026-11"))
    assert "延迟步长（每延迟1个月所需出生月数）" in text and "最低缴费月数" in text
    assert "step_months" not in text and "pay_on_allowed" not in text
    assert "2026—2036 年社会平均工资超出政策表" in text and "2027 年社会平均工资" not in text
