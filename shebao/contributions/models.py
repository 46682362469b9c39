"""Evidence (imported rows with provenance) and the reconciled history built from it.

Sized for a city: millions of persons with about thirty years each.  History is kept
as periods (runs of months), not one row per month; evidence rows are looked up by
person only, and files by content hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shebao.accounts.models import Secrecy
from shebao.people.models import Employer, Person


class SourceFile(models.Model):
    """One imported file (来源文件), identified by the hash of its content."""

    path = models.CharField(max_length=500)  # as shown: relative to the imported folder, "/" separated
    content_hash = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    kinds = models.CharField(max_length=50)  # roster, annual, backpay, card (comma separated)
    # The region (统筹区) of the agency holding the file: users scoped to a region see its files only.
    region_code = models.CharField(max_length=6, blank=True, default="", db_index=True)
    employer_text = models.CharField(max_length=200, blank=True, default="")
    reporting_month = models.IntegerField(null=True, blank=True)
    rows = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    warnings = models.JSONField(default=list)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    secrecy = models.IntegerField(choices=Secrecy.choices, default=Secrecy.INTERNAL)  # 密级
    declassify_on = models.DateField(null=True, blank=True)  # 解密日期

    def __str__(self) -> str:
        return self.path


class SourceRow(models.Model):
    """One row as imported (原始记录): its cells, what was read from them, and where it came from."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "接收"
        REJECTED = "rejected", "拒收"

    source_file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="source_rows")
    sheet = models.CharField(max_length=100, blank=True, default="")  # "" for CSV
    row = models.IntegerField()  # 1-based, as a spreadsheet shows it
    kind = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=40, blank=True, default="")
    content_hash = models.CharField(max_length=64)
    cells = models.JSONField()  # {header: value as text}, exactly as read
    data = models.JSONField(default=dict)  # normalised fields (months as ordinals)
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="evidence")
    employer = models.ForeignKey(Employer, null=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_file", "sheet", "row"], name="row_once_per_file")
        ]
        indexes = [models.Index(fields=["person"], name="evidence_by_person")]

    @property
    def reference(self) -> str:
        """``file:sheet:row`` as the contract writes sources."""
        sheet = f"{self.sheet}:" if self.sheet else ""
        return f"{self.source_file.path}:{sheet}{self.row}"


class Period(models.Model):
    """A reconciled run of paid months (缴费期间) with one employer and one base."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="periods")
    start = models.IntegerField()  # month ordinals, both ends included
    end = models.IntegerField()
    employer = models.ForeignKey(Employer, null=True, on_delete=models.PROTECT)
    base = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    flexible = models.BooleanField(default=False)
    sources = models.CharField(max_length=40)  # source kinds, comma separated

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["person", "start"], name="period_by_person")]


class EmploymentSpan(models.Model):
    """Employment a roster proves (在职期间), for deemed months and arrears."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT)
    start = models.IntegerField()
    end = models.IntegerField()
    source_row = models.ForeignKey(SourceRow, on_delete=models.CASCADE)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["person"], name="employment_by_person")]


class DoublePaid(models.Model):
    """A month recorded as paid by two different payers (重复缴费), kept for review."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="double_paid")
    month = models.IntegerField()
    payers = models.JSONField()

    class Meta:
        ordering = ["month"]
        indexes = [models.Index(fields=["person"], name="double_paid_by_person")]


class ImportRun(models.Model):
    """One import as a user ran it (web upload or command), with its report, for review and download."""

    started_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    channel = models.CharField(max_length=10, default="web")
    report = models.JSONField(default=dict)  # ImportReport.as_json()
    source_files = models.ManyToManyField(SourceFile, blank=True)
