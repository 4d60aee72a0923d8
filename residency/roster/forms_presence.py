"""Input shapes for presence corrections and the village office's position."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from residency.models import Presence
from residency.models.places import MAX_BEDS


class PresenceCorrectionForm(forms.Form):
    presence = forms.ChoiceField(label=_("更正为"), choices=Presence.choices,
                                 widget=forms.RadioSelect)
    presence_reason = forms.CharField(
        label=_("更正理由 (必填, 记入审计日志)"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写更正理由。")})


class VillagePositionForm(forms.Form):
    latitude = forms.DecimalField(
        label=_("村部纬度 (北纬, 如 30.631234)"), max_digits=9, decimal_places=6, required=False,
        min_value=Decimal("-90"), max_value=Decimal("90"),
        error_messages={"invalid": _("请输入数字形式的纬度, 如 30.631234。"),
                        "min_value": _("纬度应在 -90 到 90 之间。"),
                        "max_value": _("纬度应在 -90 到 90 之间。"),
                        "max_decimal_places": _("最多 6 位小数。"),
                        "max_digits": _("最多 6 位小数。")})
    longitude = forms.DecimalField(
        label=_("村部经度 (东经, 如 120.565432)"), max_digits=9, decimal_places=6,
        required=False, min_value=Decimal("-180"), max_value=Decimal("180"),
        error_messages={"invalid": _("请输入数字形式的经度, 如 120.565432。"),
                        "min_value": _("经度应在 -180 到 180 之间。"),
                        "max_value": _("经度应在 -180 到 180 之间。"),
                        "max_decimal_places": _("最多 6 位小数。"),
                        "max_digits": _("最多 6 位小数。")})

    beds = forms.IntegerField(
        label=_("住夜床位"), min_value=1, max_value=MAX_BEDS, initial=2,
        help_text=_("村部可供住夜的床位数; 自动排班时同一晚住夜的干部不超过此数 "
                    "(本村干部多到排不下时例外, 排班结果会说明原因)。"),
        error_messages={"required": _("请填写住夜床位数。"),
                        "invalid": _("床位数应为整数。"),
                        "min_value": _("床位数至少为 1。"),
                        "max_value": _("床位数最多为 %(limit_value)s。")})

    def clean(self):
        data = super().clean()
        if "latitude" in data and "longitude" in data and (
                (data["latitude"] is None) != (data["longitude"] is None)):
            raise forms.ValidationError(_("纬度和经度要么都填, 要么都不填。"))
        return data
