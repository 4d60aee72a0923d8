"""Input shapes for presence corrections and the village office's position."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from residency.models import Presence


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

    def clean(self):
        data = super().clean()
        if "latitude" in data and "longitude" in data and (
                (data["latitude"] is None) != (data["longitude"] is None)):
            raise forms.ValidationError(_("纬度和经度要么都填, 要么都不填。"))
        return data
