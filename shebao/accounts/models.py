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


class LoginThrottle(models.Model):
    """Failed log-ins of one user name from one address (登录失败计数), for throttling and lock-out."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    failures = models.IntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="throttle_once")]


class Approval(models.Model):
    """Approval (审批) to copy, print or download an object of 秘密 and above.

    Requested by one user, approved by an administrator or archivist other than the
    requester; valid until ``expires_at``.
    """

    class Action(models.TextChoices):
        COPY = "copy", "复制"
        PRINT = "print", "打印"
        DOWNLOAD = "download", "下载"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=30)  # person | source_file | source_row | import_run
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=300, blank=True, default="")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(  # 驳回: decided against, by an approver other than the requester
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["requester", "object_type", "object_id"], name="approval_lookup"),
        ]
