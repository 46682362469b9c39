"""Forms of the web UI: look-up, the as-of month of a person page, uploads."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from shebao.rules.months import parse_month


class SearchForm(forms.Form):
    q = forms.CharField(
        label="身份证号或姓名",
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": "18 位或 15 位身份证号，或姓名",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    purpose = forms.CharField(label="查阅目的", max_length=300, required=False)


class AsOfForm(forms.Form):
    as_of = forms.CharField(
        label="截至年月",
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    purpose = forms.CharField(label="查阅目的", max_length=300, required=False, widget=forms.HiddenInput)

    def clean_as_of(self):
        text = (self.cleaned_data.get("as_of") or "").strip()
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise forms.ValidationError("请按 YYYY-MM 填写年月，例如 2024-06") from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.xls,.csv,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="选择文件",
        help_text="可多选 .xlsx、.xls、.csv 文件，或上传整个文件夹打包的 .zip 文件",
    )


def client_ip(request) -> str:
    """The peer address.  Behind a reverse proxy this is the proxy: the proxy should then
    throttle too (see README, Security)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:45]


class LoginForm(AuthenticationForm):
    """Django's log-in form with throttling and lock-out (shebao.accounts.lockout)."""

    def clean(self):
        from shebao.accounts import lockout

        username = (self.cleaned_data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request is not None else "unknown"
        if username and lockout.is_locked(username, ip):
            raise forms.ValidationError(lockout.LOCKED_MESSAGE, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username and lockout.record_failure(username, ip):
                raise forms.ValidationError(lockout.LOCKED_MESSAGE, code="locked") from None
            raise
        if self.user_cache is not None:
            lockout.record_success(self.user_cache, ip)
        return cleaned
