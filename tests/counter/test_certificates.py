"""Issuing certificates from the record: recorded, audited, checked by poppler, verified on the web."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from django.urls import reverse

from shebao.audit.models import AuditEntry
from shebao.counter.certificates import issue_certificate, mask_name
from shebao.counter.models import Certificate
from shebao.people import services as people_services
from shebao.people.models import Person
from shebao.rules.months import parse_month
from tests.counter.conftest import add_period, make_person
from tests.integration.cli import run

pytestmark = pytest.mark.django_db

HE_GUILAN = "130603196412031769"
AS_OF = parse_month("2026-11")


def _text(pdf_path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _png(pdf_path, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 10_000  # a drawn page, not a blank one
    return pages[0]


def test_issue_a_proof_for_a_sample_person_every_period_right(imported_sample, users, tmp_path):
    from shebao.counter.services import region_policy
    from shebao.people import selectors

    clerk = users["counter_clerk"]
    person = Person.objects.get(id_number=HE_GUILAN)
    certificate, pdf = issue_certificate(clerk, person, "proof", AS_OF, channel="test")
    path = tmp_path / "proof.pdf"
    path.write_bytes(pdf)
    _png(path, tmp_path)
    text = _text(path)
    # every period of her record, as the person page shows them (from, to, employer, base, months)
    periods = selectors.person_json(person, region_policy().pooling_start, AS_OF)["periods"]
    assert len(periods) >= 3
    lines = [line.split() for line in text.splitlines()]
    for p in periods:
        want = [p["from"], "至", p["to"]]
        row = next((ln for ln in lines if ln[1:4] == want), None)
        assert row is not None, f"period {p['from']}–{p['to']} missing"
        assert row[-1] == str(p["months"]) and (p["base"] or "—") in row
        assert (p["employer"] or "灵活就业") in "".join(row) or p["employer"] is None
    assert "何桂兰" in text and HE_GUILAN in text and "截至 2026年11月" in text
    assert "2001-04" in text  # her second gap
    assert certificate.code in text
    assert certificate.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (certificate.kind, certificate.as_of, certificate.issued_by) == ("proof", AS_OF, clerk)
    entry = AuditEntry.objects.get(action="certificate.issue", object_id=str(certificate.pk))
    assert entry.detail["code"] == certificate.code and entry.actor == "counter_clerk"


def test_a_rare_character_name_is_drawn_not_boxed(users, tmp_path):
    person = make_person("130602197508084564", "王䶮", "M", "1975-08-08", category="worker")
    add_period(person, "2010-01", "2012-06", employer="保定市测试厂", base="2450.00")
    certificate, pdf = issue_certificate(users["archivist"], person, "handbook", AS_OF, channel="test")
    path = tmp_path / "handbook.pdf"
    path.write_bytes(pdf)
    _png(path, tmp_path)
    text = _text(path)
    assert "王䶮" in text and "□" not in text
    assert not certificate.flagged and certificate.missing_glyphs == []
    for year, months in (("2010", "12"), ("2011", "12"), ("2012", "6")):
        assert any(ln.split()[:1] == [year] and ln.split()[-1] == months for ln in text.splitlines())


@pytest.mark.parametrize("role", ["auditor", "custody_officer", "employer_hr"])
def test_only_clerks_archivists_and_admins_issue(imported_sample, users, role):
    person = Person.objects.get(id_number=HE_GUILAN)
    with pytest.raises(people_services.PermissionDenied):
        issue_certificate(users[role], person, "proof", AS_OF)
    assert not Certificate.objects.exists()
    assert AuditEntry.objects.filter(action="certificate.issue", outcome="denied").count() == 1


def test_verification_page_checks_the_code(imported_sample, users, client):
    person = Person.objects.get(id_number=HE_GUILAN)
    certificate, _ = issue_certificate(users["counter_clerk"], person, "proof", AS_OF)
    client.force_login(users["auditor"])  # anyone in the agency may verify; only a masked name is shown
    typed = certificate.code.lower().replace("-", " ").replace("0", "o")
    page = client.post(reverse("web:verify"), {"code": typed}).content.decode()
    assert "有效" in page and mask_name("何桂兰") == "何**" and "何**" in page and "何桂兰" not in page
    assert "2026-11" in page and "参保缴费证明" in page
    assert "无效" in client.post(reverse("web:verify"), {"code": "0000-0000-0000-0000"}).content.decode()
    assert "无效" in client.post(reverse("web:verify"), {"code": "nonsense"}).content.decode()
    # a stored record whose content no longer matches its code is not valid
    Certificate.objects.filter(pk=certificate.pk).update(
        payload=certificate.payload.replace("何桂兰", "何桂芝")
    )
    assert "无效" in client.post(reverse("web:verify"), {"code": certificate.code}).content.decode()
    client.logout()
    assert client.get(reverse("web:verify")).status_code == 302


def test_print_button_returns_the_pdf(imported_sample, users, client):
    client.force_login(users["counter_clerk"])
    person = Person.objects.get(id_number=HE_GUILAN)
    page = client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "打印证明" in page and "补办手册" in page
    response = client.post(
        reverse("web:person_certificate", args=[person.pk]), {"kind": "handbook", "as_of": "2026-11"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Certificate.objects.get().code == response["X-Verification-Code"]
    assert client.get(reverse("web:person_certificate", args=[person.pk])).status_code == 405


def test_cli_certificate_writes_the_pdf(imported_sample, users, capsys, tmp_path):
    out = tmp_path / "c.pdf"
    code, text = run(
        capsys, "certificate", HE_GUILAN, "--kind", "proof", "--as-of", "2026-11", "-o", str(out)
    )
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    assert Certificate.objects.get().code in text


def test_printing_a_secret_record_needs_an_approval(imported_sample, users):
    from shebao.accounts import approvals
    from shebao.accounts.models import Secrecy
    from shebao.people.services import PermissionDenied

    clerk, archivist = users["counter_clerk"], users["archivist"]
    clerk.profile.clearance = Secrecy.SECRET
    clerk.profile.save()
    person = Person.objects.get(id_number=HE_GUILAN)
    person.secrecy = Secrecy.SECRET
    person.save()
    # the clerk may read the record (cleared for 秘密) but not print it without an approval
    people_services.open_person(clerk, person, purpose="test")
    with pytest.raises(PermissionDenied):
        issue_certificate(clerk, person, "proof", AS_OF, channel="test")
    assert AuditEntry.objects.filter(action="certificate.issue", outcome="denied").exists()
    asked = approvals.request(clerk, person, "print", reason="退休审核需出具证明")
    approvals.approve(archivist, asked)
    certificate, pdf = issue_certificate(clerk, person, "proof", AS_OF, channel="test")
    assert pdf.startswith(b"%PDF") and certificate.person_id == person.pk
