"""Persons (参保人员) and employers (参保单位), with the aliases and former IDs that link records to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shebao.accounts.models import Secrecy


class Employer(models.Model):
    """A paying employer as written in the records (单位名称); restructured names are aliases."""

    name = models.CharField(max_length=200, unique=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """One insured person, keyed by the 18-digit ID number (公民身份号码)."""

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Category(models.TextChoices):
        WORKER = "worker", "工人"
        CADRE = "cadre", "干部"

    class Status(models.TextChoices):
        CONTRIBUTING = "contributing", "参保缴费"
        INTERRUPTED = "interrupted", "中断缴费"
        RETIRED = "retired", "已退休"
        DECEASED = "deceased", "已死亡"

    id_number = models.CharField(max_length=18, unique=True)
    name = models.CharField(max_length=100, blank=True, default="")
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()  # from the ID number
    archive_birth_date = models.CharField(
        max_length=10, blank=True, default=""
    )  # 档案出生日期, precision as written
    category = models.CharField(max_length=10, choices=Category.choices, blank=True, default="")
    work_start = models.IntegerField(null=True, blank=True)  # month ordinal of 参加工作时间
    status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    status_date = models.DateField(null=True, blank=True)
    status_source = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")
    address = models.CharField(max_length=300, blank=True, default="")
    secrecy = models.IntegerField(choices=Secrecy.choices, default=Secrecy.INTERNAL)  # 密级
    declassify_on = models.DateField(null=True, blank=True)  # 解密日期: 公开 from this day
    # Set in the same transaction as new evidence; cleared when the history is rebuilt.
    # A crash between the two leaves it set, and the next import finishes the job.
    needs_reconcile = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["needs_reconcile"], name="person_dirty", condition=models.Q(needs_reconcile=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Person {self.pk}"  # never the name or ID: str() ends up in logs


class PersonName(models.Model):
    """Every spelling of a person's name in the records, for look-up by name and by sound."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=100, db_index=True)
    pinyin = models.CharField(max_length=300, db_index=True)  # toneless, for 同音不同字
    files = models.IntegerField(default=0)  # in how many files it was written

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="person_name_once")]


class FormerIdNumber(models.Model):
    """A 15-digit (pre-1999) number the person's records were filed under."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_ids")
    id_number = models.CharField(max_length=18, unique=True)


class Conflict(models.Model):
    """Sources that disagree about one field of a person (数据冲突), with the rows behind each value."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=20)
    values = models.JSONField()
    sources = models.JSONField()

    class Meta:
        ordering = ["field"]


class Decision(models.Model):
    """A clerk's decision (认定) on a field, which wins over every import and survives re-imports."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "field"], name="one_decision_per_field")]
