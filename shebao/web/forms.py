"""Forms of the web UI: look-up, the as-of month of a person page, uploads."""

from __future__ import annotations

from django import forms

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
