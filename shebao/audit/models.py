"""The audit log (审计日志): append-only, each entry chained to the one before by its hash."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)  # username; kept as text so deleting a user keeps the trail
    action = models.CharField(max_length=50, db_index=True)  # person.view, import.file, certificate.issue, …
    object_type = models.CharField(max_length=50, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")  # internal id, never a raw ID number
    purpose = models.CharField(max_length=300, blank=True, default="")  # 查阅目的
    detail = models.JSONField(default=dict)  # masked values only
    outcome = models.CharField(max_length=20, default="ok")  # ok | denied | error
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ]


class AuditHead(models.Model):
    """A single row locked while appending, so that two writers never chain to the same entry."""

    last_hash = models.CharField(max_length=64)
