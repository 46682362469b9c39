"""The audit log (审计日志): append-only, each entry chained to the one before by its hash."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit entry (审计日志只能追加)."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit log is append-only: entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("the audit log is append-only: entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("the audit log is append-only: entries cannot be updated")


class AuditEntry(models.Model):
    """One entry of the log.  Append-only: the ORM refuses updates and deletes, and a
    database trigger (migration 0002) refuses them from any other client."""

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

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("the audit log is append-only: entries cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit log is append-only: entries cannot be deleted")


class AuditHead(models.Model):
    """A single row locked while appending, so that two writers never chain to the same entry."""

    last_hash = models.CharField(max_length=64)
