"""Who a user is in shebao: role, scope (region, employer) and clearance (涉密等级)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    COUNTER_CLERK = "counter_clerk", "窗口经办员"
    ARCHIVIST = "archivist", "档案管理员"
    CUSTODY_OFFICER = "custody_officer", "档案托管专员"
    EMPLOYER_HR = "employer_hr", "用人单位人事专员"
    AUDITOR = "auditor", "审计员"
    ADMIN = "admin", "系统管理员"


class Secrecy(models.IntegerChoices):
    """Secrecy levels (密级), ordered so that a clearance at least the level may see it."""

    PUBLIC = 0, "公开"
    INTERNAL = 1, "内部"
    SECRET = 2, "秘密"
    CONFIDENTIAL = 3, "机密"
    TOP_SECRET = 4, "绝密"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices)
    region_code = models.CharField(max_length=6, blank=True, default="")  # "" = every region
    employer = models.ForeignKey("people.Employer", null=True, blank=True, on_delete=models.PROTECT)
    clearance = models.IntegerField(choices=Secrecy.choices, default=Secrecy.INTERNAL)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"
