from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class PreferenceForm(forms.Form):
    """E-mail and SMS per kind, and quiet hours. Fields ``email_<kind>``, ``sms_<kind>``."""

    quiet_enabled = forms.BooleanField(label=_("启用免打扰（此时段不发短信，紧急提醒除外）"),
                                       required=False)
    quiet_start = forms.TimeField(label=_("免打扰开始"), input_formats=["%H:%M"],
                                  widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}))
    quiet_end = forms.TimeField(label=_("免打扰结束"), input_formats=["%H:%M"],
                                widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}))

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"email_{row['kind']}"] = forms.BooleanField(required=False,
                                                                     initial=row["email"])
            self.fields[f"sms_{row['kind']}"] = forms.BooleanField(required=False,
                                                                   initial=row["sms"])

    def clean(self):
        data = super().clean()
        if data.get("quiet_enabled") and data.get("quiet_start") == data.get("quiet_end"):
            raise forms.ValidationError(_("免打扰的开始和结束时间不能相同。"))
        return data

    def channels(self) -> dict[str, tuple[bool, bool]]:
        return {kind: (self.cleaned_data[f"email_{kind}"], self.cleaned_data[f"sms_{kind}"])
                for kind in Kind.values}

    def bound_rows(self):
        for row in self.rows:
            yield {**row, "email_field": self[f"email_{row['kind']}"],
                   "sms_field": self[f"sms_{row['kind']}"]}

    @staticmethod
    def quiet_initial(hours) -> dict:
        if hours is None:
            from .conf import default_quiet_hours

            start, end = default_quiet_hours()
            return {"quiet_enabled": True, "quiet_start": start, "quiet_end": end}
        return {"quiet_enabled": hours.enabled, "quiet_start": hours.start or time(22),
                "quiet_end": hours.end or time(7)}
