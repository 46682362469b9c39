"""Issuing and verifying certificates (出具与核验证明): the renderer fed from the record, and the log.

Every certificate issued is stored (who, for whom, when, kind, as-of, code, the canonical
content the code signs, the PDF's sha256) and audited as ``certificate.issue``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shebao.audit import services as audit
from shebao.certificates import CodeError, check_code, normalize_code, render_certificate, with_code
from shebao.certificates.render import KINDS, CertificateData
from shebao.counter import access
from shebao.counter.models import Certificate
from shebao.counter.services import region_policy
from shebao.people import selectors, services
from shebao.people.models import Person
from shebao.rules.idnumber import mask
from shebao.rules.months import Month, month_str
from shebao.rules.policy import RegionPolicy


def issuing_office(policy: RegionPolicy) -> str:
    return settings.SHEBAO_ISSUING_OFFICE or f"{policy.name}社会保险经办机构"


def certificate_data(person: Person, policy: RegionPolicy, as_of: Month, issued_at) -> CertificateData:
    """The printed content, from the same ``person_json`` the CLI and the web UI show."""
    p = selectors.person_json(person, policy.pooling_start, as_of)
    return CertificateData.from_dict(
        {
            "issuing_office": issuing_office(policy),
            "issued_at": issued_at,
            "as_of": p["as_of"],
            "person": {
                "name": p["name"],
                "id_number": p["id_number"],
                "sex": p["sex"],
                "birth_date": p["birth_date"],
                "former_id_numbers": p["former_id_numbers"],
            },
            "summary": {
                "paid_months": p["contribution_months"]["pension"],
                "deemed_months": p["deemed_months"],
                "first_paid": p["first_paid"],
                "last_paid": p["last_paid"],
                "interrupted_since": p["interrupted_since"],
            },
            "gaps": p["gaps"],
            "periods": p["periods"],
        }
    )


def issue_certificate(
    user, person: Person, kind: str, as_of: Month, *, channel: str = "web", policy: RegionPolicy | None = None
) -> tuple[Certificate, bytes]:
    """Render and record a certificate; raises ``people.services.PermissionDenied`` when not allowed."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if not access.can_issue_certificate(user, person):
        audit.record(
            user,
            "certificate.issue",
            object_type="person",
            object_id=person.pk,
            detail={"kind": kind, "channel": channel},
            outcome="denied",
        )
        raise services.PermissionDenied("not permitted to issue certificates for this person")
    services.open_person(user, person, purpose="出具证明", channel=channel)
    policy = policy or region_policy()
    issued_at = timezone.localtime().replace(microsecond=0)  # printed to the second; signed as printed
    data = with_code(certificate_data(person, policy, as_of, issued_at), kind, settings.SHEBAO_CERT_SECRET)
    result = render_certificate(data, kind)
    digest = hashlib.sha256(result.pdf).hexdigest()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                person=person,
                issued_by=user,
                issued_at=issued_at,
                kind=kind,
                as_of=as_of,
                code=data.verification_code,
                payload=data.canonical_payload(kind),
                pdf_sha256=digest,
                flagged=result.flagged,
                missing_glyphs=list(result.missing_glyphs),
            )
            audit.record(
                user,
                "certificate.issue",
                object_type="certificate",
                object_id=certificate.pk,
                detail={
                    "person": person.pk,
                    "id": mask(person.id_number),
                    "kind": kind,
                    "as_of": month_str(as_of),
                    "code": certificate.code,
                    "sha256": digest,
                    "channel": channel,
                    "flagged": result.flagged,
                },
            )
    except IntegrityError:
        # The same content in the same second signs to the same code: it is the same certificate
        # (rendering is deterministic), so hand back the one already recorded.
        certificate = Certificate.objects.get(code=data.verification_code)
    return certificate, result.pdf


def mask_name(name: str) -> str:
    """张** — the first character, the rest as ``*`` (shown on the verification page)."""
    return name[:1] + "*" * max(len(name) - 1, 0) if name else ""


def verify_certificate(user, typed: str) -> Certificate | None:
    """The certificate a typed code belongs to, if it checks out against its stored content."""
    try:
        code = normalize_code(typed)
    except CodeError:
        audit.record(user, "certificate.verify", detail={"code": "malformed"}, outcome="invalid")
        return None
    certificate = Certificate.objects.select_related("person").filter(code=code).first()
    ok = certificate is not None and check_code(code, certificate.payload, settings.SHEBAO_CERT_SECRET)
    audit.record(
        user,
        "certificate.verify",
        object_type="certificate",
        object_id=certificate.pk if certificate else "",
        detail={"code": code},
        outcome="ok" if ok else "invalid",
    )
    return certificate if ok else None
