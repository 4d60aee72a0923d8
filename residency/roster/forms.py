"""Input shapes for the roster pages (rules live in residency/roster/services)."""
from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from residency.bounded_input import (
    LEAVE_EARLIEST,
    LEAVE_LATEST,
    NOTE_MAX,
    BoundedDateField,
    BoundedDateTimeField,
)
from residency.models import Leave, Stay, WorkdayOverride

# A date input only takes ISO values (yyyy-mm-dd), whatever the locale shows.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StayAssignForm(forms.Form):
    cadre = forms.ModelChoiceField(queryset=None, label=_("干部"))
    village = forms.ModelChoiceField(queryset=None, label=_("村(社区)"))
    night = forms.TypedChoiceField(label=_("夜"), coerce=str)
    pinned = forms.BooleanField(label=_("锁定 (重新排班时保留)"), required=False)

    def __init__(self, *args, cadres, villages, week_start, nights=None, **kwargs):
        """``nights``: the week's workday nights (the only ones offered); all 7 if None."""
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["cadre"].label_from_instance = lambda c: c.name
        self.fields["village"].queryset = villages
        days = list(nights) if nights is not None else [week_start + timedelta(days=i)
                                                         for i in range(7)]
        self.fields["night"].choices = [(d.isoformat(), f"{d:%m-%d} {_WEEKDAYS[d.weekday()]}") for d in days]
        self._days = {d.isoformat(): d for d in days}

    def clean_night(self):
        return self._days[self.cleaned_data["night"]]


_WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


class StayMoveForm(StayAssignForm):
    pinned = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("cadre", "village", "night"):
            self.fields[name].required = True
        # The week's workday nights as buttons to tap (a phone has no room for a long list).
        self.fields["night"].widget = forms.RadioSelect(choices=self.fields["night"].choices)


class StaySwapForm(forms.Form):
    other = forms.ModelChoiceField(queryset=Stay.objects.none(), label=_("与这晚对调"))

    def __init__(self, *args, stays, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = stays
        self.fields["other"].label_from_instance = (
            lambda s: f"{s.night:%m-%d} {s.village.name} {s.cadre.name}")


class LeaveRequestForm(forms.ModelForm):
    start = BoundedDateField(label=_("开始日期"), widget=DATE, earliest=LEAVE_EARLIEST,
                             latest=LEAVE_LATEST)
    end = BoundedDateField(label=_("结束日期"), widget=DATE, earliest=LEAVE_EARLIEST,
                           latest=LEAVE_LATEST)

    class Meta:
        model = Leave
        fields = ["kind", "start", "end", "reason"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class SwapRequestForm(forms.Form):
    colleague = forms.ModelChoiceField(queryset=None, label=_("替班同事"))
    colleague_stay = forms.ModelChoiceField(queryset=None, required=False,
                                            label=_("交换对方的住夜 (可不选: 由同事代住)"))
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def __init__(self, *args, colleagues, colleague_stays, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda c: c.name
        self.fields["colleague_stay"].queryset = colleague_stays
        self.fields["colleague_stay"].label_from_instance = (
            lambda s: f"{s.cadre.name} {s.night:%m-%d} {s.village.name}")

    def clean(self):
        data = super().clean()
        other = data.get("colleague_stay")
        if other is not None and data.get("colleague") and other.cadre_id != data["colleague"].pk:
            raise forms.ValidationError(_("交换的住夜必须是所选同事的住夜。"))
        return data


class SpotCheckForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=_("村(社区)"))
    at = BoundedDateTimeField(label=_("检查时间"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    expected_cadre = forms.ModelChoiceField(queryset=None, required=False,
                                            label=_("应在岗干部 (不选则按已发布排班)"))
    present = forms.TypedChoiceField(label=_("检查结果"), coerce=lambda v: v == "1",
                                     choices=[("1", _("在岗")), ("0", _("不在岗"))],
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False, max_length=NOTE_MAX)

    def __init__(self, *args, villages, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["expected_cadre"].queryset = cadres
        self.fields["expected_cadre"].label_from_instance = lambda c: c.name


class WorkdayOverrideForm(forms.ModelForm):
    date = BoundedDateField(label=_("日期"), widget=DATE)

    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday", "reason"]
        widgets = {"date": DATE}
        labels = {"is_workday": _("当晚需要住夜 (按工作日); 不勾选表示放假")}


WEEKDAY_CHOICES = [(0, _("周一")), (1, _("周二")), (2, _("周三")), (3, _("周四")),
                   (4, _("周五")), (5, _("周六")), (6, _("周日"))]


class PreferenceForm(forms.Form):
    preferred_weekdays = forms.TypedMultipleChoiceField(
        label=_("希望住夜的星期"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    avoided_weekdays = forms.TypedMultipleChoiceField(
        label=_("尽量避开的星期"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)

    def clean(self):
        data = super().clean()
        if set(data.get("preferred_weekdays") or []) & set(data.get("avoided_weekdays") or []):
            raise forms.ValidationError(_("同一天不能既“希望住夜”又“尽量避开”。"))
        return data
