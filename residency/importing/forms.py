"""The upload form: which kind, which county (system admin only), which file."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from residency.importing.reading import EXTENSIONS, extension
from residency.importing.registry import available_kinds
from residency.models import County


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"))
    county = forms.ModelChoiceField(label=_("县(市、区)"), queryset=County.objects.none(),
                                    required=False,
                                    help_text=_("导入镇(街道)时可不选,由文件中的“县(市、区)代码”列指定"))
    file = forms.FileField(label=_("文件"), help_text=_(".xlsx 或 .csv,不超过10 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.kinds = {k.code: k for k in available_kinds(role)}
        self.fields["kind"].choices = [(k.code, k.label) for k in self.kinds.values()]
        if role == "system_admin":
            self.fields["county"].queryset = County.objects.order_by("code")
        else:
            del self.fields["county"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("文件超过%(mb)d MB,请拆分后分批导入"),
                                        params={"mb": limit // (1024 * 1024)})
        if extension(upload.name) not in EXTENSIONS:
            raise forms.ValidationError(_("只能导入 .xlsx(Excel)或 .csv 文件"))
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = self.kinds.get(cleaned.get("kind", ""))
        if (self.role == "system_admin" and kind is not None and kind.needs_county
                and not cleaned.get("county")):
            self.add_error("county", _("请选择要导入到哪个县(市、区)"))
        return cleaned
