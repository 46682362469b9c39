"""Writing and verifying the audit log.  Called from services, inside their transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from shebao.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            prev_hash,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.purpose,
            entry.detail,
            entry.outcome,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    actor,
    action: str,
    *,
    object_type: str = "",
    object_id: str | int = "",
    purpose: str = "",
    detail: dict | None = None,
    outcome: str = "ok",
) -> AuditEntry:
    """Append one entry.  Joins the caller's transaction, so the entry and the action commit together."""
    username = getattr(actor, "username", None) or str(actor or "anonymous")
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_hash=GENESIS)
        entry = AuditEntry(
            at=timezone.now(),
            actor=username,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            purpose=purpose[:300],
            detail=detail or {},
            outcome=outcome,
            prev_hash=head.last_hash,
        )
        entry.hash = _digest(head.last_hash, entry)
        entry.save()
        head.last_hash = entry.hash
        head.save(update_fields=["last_hash"])
    return entry


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    problem: str = ""


def verify() -> VerifyResult:
    """Walk the chain: any edited, inserted or deleted entry breaks it."""
    prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if entry.prev_hash != prev:
            return VerifyResult(
                False, count, f"entry {entry.pk}: chain broken (an entry before it was removed or changed)"
            )
        if _digest(prev, entry) != entry.hash:
            return VerifyResult(False, count, f"entry {entry.pk}: content does not match its hash (edited)")
        prev = entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return VerifyResult(
            False, count, "the newest entries were removed (head does not match the last entry)"
        )
    return VerifyResult(True, count)
