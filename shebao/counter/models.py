"""What the counter records: certificates issued (证明出具记录) and the renewal queue (续保提醒)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shebao.people.models import Employer, Person


class Certificate(models.Model):
    """One certificate as issued: who, for whom, when, what it says, and how to check it."""

    class Kind(models.TextChoices):
        PROOF = "proof", "参保缴费证明"
        HANDBOOK = "handbook", "养老保险手册缴费记录（补办）"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    issued_at = models.DateTimeField()  # the printed issue time, to the second
    kind = models.CharField(max_length=10, choices=Kind.choices)
    as_of = models.IntegerField()  # month ordinal of 截至
    code = models.CharField(max_length=19, unique=True)  # normalised XXXX-XXXX-XXXX-XXXX
    payload = models.TextField()  # CertificateData.canonical_payload(kind): what the code signs
    pdf_sha256 = models.CharField(max_length=64)
    flagged = models.BooleanField(default=False)  # a character could not be drawn: check by hand
    missing_glyphs = models.JSONField(default=list)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["person"], name="certificate_by_person")]

    def __str__(self) -> str:
        return f"Certificate {self.pk}"


class RenewalEntry(models.Model):
    """One item of the renewal work queue (续保提醒): a person or an employer to contact."""

    class Reason(models.TextChoices):
        STOPPED = "stopped_below_minimum", "停缴且未满最低缴费年限"
        FLEXIBLE_ENDING = "flexible_paid_up_ending", "灵活就业缴费即将到期"
        RETIRING_SHORT = "retiring_short", "临近退休缴费年限不足"
        ARREARS_GREW = "employer_arrears_grew", "单位欠缴增加"

    class Status(models.TextChoices):
        TO_CONTACT = "to_contact", "待联系"
        CONTACTED = "contacted", "已联系"
        CONTINUED = "continued", "已续保"
        DECLINED = "declined", "不续保"
        NOT_APPLICABLE = "not_applicable", "不适用"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="renewal_entries"
    )
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.CASCADE, related_name="renewal_entries"
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    details = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TO_CONTACT)
    notes = models.TextField(blank=True, default="")
    active = models.BooleanField(default=True)  # still met at the last rebuild
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_on = models.DateField()  # the day of the rebuild that last found it

    class Meta:
        ordering = ["reason", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "reason"],
                condition=models.Q(person__isnull=False),
                name="renewal_once_per_person_reason",
            ),
            models.UniqueConstraint(
                fields=["employer", "reason"],
                condition=models.Q(employer__isnull=False),
                name="renewal_once_per_employer_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, employer__isnull=True)
                | models.Q(person__isnull=True, employer__isnull=False),
                name="renewal_person_xor_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"RenewalEntry {self.pk}"


class RenewalEntryEvent(models.Model):
    """A status change of a queue entry (处理记录): who, when, from, to, note."""

    entry = models.ForeignKey(RenewalEntry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]
