"""/verify/ shows what the paper says (from the stored canonical content), masked, to compare with it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shebao.counter.certificates import issue_certificate
from shebao.counter.models import Certificate
from shebao.people.models import Person
from shebao.rules.months import parse_month
from tests.counter.conftest import add_period, make_person

pytestmark = pytest.mark.django_db

AS_OF = parse_month("2026-11")
OFFICE = "保定市社会保险事业管理局"


@pytest.fixture(autouse=True)
def office(settings):
    settings.SHEBAO_ISSUING_OFFICE = OFFICE


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def worker(db):
    # 2010-01 … 2012-06 at a factory (30 months), 2014-12 alone as a flexible worker (1 month)
    person = make_person("130602197508084564", "王建国", "M", "1975-08-08", category="worker")
    add_period(person, "2010-01", "2012-06", employer="保定市测试厂", base="2450.00")
    add_period(person, "2014-12", "2014-12", base="3000.00", flexible=True)
    return person


def _verify(client, users, code):
    client.force_login(users["auditor"])
    return client.post(reverse("web:verify"), {"code": code})


def test_a_valid_proof_shows_the_printed_figures_masked(client, users, worker):
    certificate, _ = issue_certificate(users["counter_clerk"], worker, "proof", AS_OF, channel="test")
    text = _text(_verify(client, users, certificate.code))
    assert "有效" in text
    assert "王** " in text and "王建国" not in text
    assert "1306**********4564" in text and "130602197508084564" not in text
    assert "参保缴费证明" in text and "截至 2026年11月" in text
    assert f"出具单位 {OFFICE}" in text
    assert "实际缴费月数 31 个月" in text and "视同缴费月数 0 个月" in text
    assert "首次缴费年月 2010年01月" in text and "末次缴费年月 2014年12月" in text
    assert "1 2010-01 至 2012-06 保定市测试厂 2450.00 30" in text
    assert "2 2014-12 至 2014-12 灵活就业 3000.00 1" in text
    assert "合计 31" in text
    assert "1 2012-07 至 2014-11 29" in text  # the gap printed on the proof


def test_a_valid_handbook_shows_the_yearly_rows(client, users, worker):
    certificate, _ = issue_certificate(users["archivist"], worker, "handbook", AS_OF, channel="test")
    text = _text(_verify(client, users, certificate.code))
    assert "养老保险手册缴费记录" in text
    assert "2010 01–12 月 保定市测试厂 2450.00 12" in text
    assert "2012 01–06 月 保定市测试厂 2450.00 6" in text
    assert "2014 12 月 灵活就业 3000.00 1" in text  # a single month, not "12–12 月"


def test_figures_come_from_the_certificate_not_todays_record(client, users, worker):
    certificate, _ = issue_certificate(users["counter_clerk"], worker, "proof", AS_OF, channel="test")
    add_period(worker, "2015-01", "2015-12", employer="保定市测试厂", base="2600.00")  # paid later
    text = _text(_verify(client, users, certificate.code))
    assert "实际缴费月数 31 个月" in text and "2015-01" not in text


def test_issue_date_is_the_printed_one(client, users, imported_sample):
    person = Person.objects.get(id_number="130603196412031769")
    certificate, _ = issue_certificate(users["counter_clerk"], person, "proof", AS_OF, channel="test")
    issued = timezone.localtime(Certificate.objects.get(pk=certificate.pk).issued_at)  # stored in UTC
    text = _text(_verify(client, users, certificate.code))
    assert f"出具日期 {issued.year}年{issued.month:02d}月{issued.day:02d}日" in text
