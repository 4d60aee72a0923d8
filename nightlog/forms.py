"""Input shapes only; the rules live in services."""
from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from residency.access.roles import Role
from residency.bounded_input import NOTE_MAX, BoundedDateField, BoundedDateTimeField

from .models import Consultation, Household, ParticipantKind, Problem

User = get_user_model()
DUE_DAYS = {Problem.Urgency.NORMAL: 14, Problem.Urgency.URGENT: 3, Problem.Urgency.CRITICAL: 1}


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        official = getattr(obj, "official", None)
        cadre = getattr(obj, "cadre", None)
        if official is not None and official.name:
            village = official.village.name if official.village_id else ""
            return _("%(name)s(%(village)s村干部)") % {"name": official.name, "village": village}
        if cadre is not None:
            return _("%(name)s(本人)") % {"name": cadre.name}
        return obj.get_username()


def owner_queryset(*, cadre_user, village_ids):
    """The cadre and the village cadres (村干部) of the cadre's village(s)."""
    return (User.objects.filter(Q(pk=cadre_user.pk) | Q(official__village_id__in=list(village_ids),
                                                        groups__name=Role.VILLAGE_CADRE.value))
            .select_related("official__village", "cadre").distinct().order_by("-cadre", "pk"))


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        star = "★ " if getattr(obj, "linked", False) else ""
        return f"{star}{obj.head} · {obj.group}"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProblemFieldsMixin(forms.Form):
    """Optional problem for follow-up, raised together with the visit: one tick, 需要跟进,
    opens these fields; with a summary the problem is raised (现场破难), without one the
    visit is only marked for follow-up."""

    problem_summary = forms.CharField(
        label=_("问题摘要"), max_length=200, required=False,
        help_text=_("填写后登记为“现场破难”问题，有责任人和办结期限，逾期会提醒；不填则只标记需要跟进。"))
    problem_category = forms.ChoiceField(label=_("问题类别"), choices=Problem.Category.choices,
                                         initial=Problem.Category.OTHER, required=False)
    problem_urgency = forms.ChoiceField(label=_("紧急程度"), choices=Problem.Urgency.choices,
                                        initial=Problem.Urgency.NORMAL, required=False)
    problem_owner = OwnerChoiceField(label=_("责任人"), queryset=User.objects.none(),
                                     required=False, empty_label=None)
    problem_due_date = BoundedDateField(
        label=_("办结期限"), required=False, widget=DateInput(),
        help_text=format_lazy(_("不填则按紧急程度:一般 {normal} 天、紧急 {urgent} 天、特急 {critical} 天。"),
                              normal=DUE_DAYS[Problem.Urgency.NORMAL],
                              urgent=DUE_DAYS[Problem.Urgency.URGENT],
                              critical=DUE_DAYS[Problem.Urgency.CRITICAL]))

    def problem_data(self) -> dict | None:
        data = self.cleaned_data
        summary = (data.get("problem_summary") or "").strip()
        if not (data.get("needs_follow_up") and summary):
            return None
        urgency = data.get("problem_urgency") or Problem.Urgency.NORMAL
        return {
            "summary": summary,
            "category": data.get("problem_category") or Problem.Category.OTHER,
            "urgency": urgency,
            "owner": data.get("problem_owner"),
            "due_date": data.get("problem_due_date")
            or timezone.localdate() + timedelta(days=DUE_DAYS.get(urgency, 14)),
        }


class VisitContentForm(forms.Form):
    """What a visit says: the fields a cadre writes first and may correct for 48 hours."""

    visited_at = BoundedDateTimeField(label=_("走访时间"), widget=DateTimeLocalInput(),
                                     error_messages={"invalid": _("请输入有效的日期和时间。")})
    companions = forms.CharField(label=_("同行人员"), max_length=200, required=False)
    situation = forms.CharField(label=_("家庭情况"), required=False, max_length=NOTE_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))
    requests = forms.CharField(label=_("诉求"), required=False, max_length=NOTE_MAX,
                               widget=forms.Textarea(attrs={"rows": 2}))
    suggestions = forms.CharField(label=_("建议"), required=False, max_length=NOTE_MAX,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    needs_follow_up = forms.BooleanField(label=_("需要跟进"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f) or "").strip() for f in ("situation", "requests", "suggestions")):
            raise forms.ValidationError(_("请至少填写家庭情况、诉求或建议中的一项。"))
        return cleaned


class VisitForm(ProblemFieldsMixin, VisitContentForm):
    household = HouseholdChoiceField(label=_("农户"), queryset=Household.objects.none(),
                                     empty_label=_("请选择农户"),
                                     error_messages={"invalid_choice": _("只能选择本人驻村村内的农户。")})
    # Made in the browser for each new form (static/js/visit_form.js); the server's value
    # is for a browser without JavaScript. The same key saved twice is one visit.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput,
                                 error_messages={"invalid": _("提交标识无效，请刷新页面后重新填写。")})
    late_reason = forms.CharField(
        label=_("补记原因"), max_length=200, required=False,
        help_text=_("超过规定天数的走访，写明原因后提交镇(街道)管理员批准。"))

    field_order = ["household", "visited_at"]

    def __init__(self, *args, households=None, owners=None, owner_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households
        if owners is not None:
            self.fields["problem_owner"].queryset = owners
        self.fields["problem_owner"].initial = owner_initial
        self.fields["needs_follow_up"].help_text = _("勾选后可在下面登记“现场破难”问题。")
        self.fields["visited_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["client_key"].initial = uuid.uuid4()
        if not self.is_bound:
            # The page lists the options once; a model choice field's iterator would query
            # again for the select's required check and for each loop over its options
            # (a count and a server-side cursor on PostgreSQL each time). One plain query
            # each instead; validation still reads the querysets.
            for name in ("household", "problem_owner"):
                field = self.fields[name]
                options = [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
                field.choices = ([("", field.empty_label)] if field.empty_label is not None else []) + options


class VisitUpdateForm(VisitContentForm):
    pass


class DateRangeForm(forms.Form):
    date_from = BoundedDateField(label=_("从"), required=False, widget=DateInput(),
                                 error_messages={"invalid": _("开始日期格式应为 YYYY-MM-DD。")})
    date_to = BoundedDateField(label=_("到"), required=False, widget=DateInput(),
                               error_messages={"invalid": _("结束日期格式应为 YYYY-MM-DD。")})

    MAX_DAYS = 400

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("结束日期不能早于开始日期。"))
            if (end - start).days > self.MAX_DAYS:
                raise forms.ValidationError(_("日期范围不能超过 400 天。"))
        return cleaned


class LinkForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("干部"), queryset=None, empty_label=_("请选择干部"))
    household = forms.ModelChoiceField(label=_("农户"), queryset=None, empty_label=_("请选择农户"))

    def __init__(self, *args, cadres, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["household"].queryset = households
        for name in ("cadre", "household"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"


class CardForm(forms.Form):
    household = HouseholdChoiceField(label=_("农户"), queryset=Household.objects.none(),
                                     empty_label=_("请选择农户"),
                                     error_messages={"invalid_choice": _("只能选择本人驻村村内的农户。")})
    given_on = BoundedDateField(label=_("发放日期"), widget=DateInput(),
                               initial=timezone.localdate)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


class ConsultationForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村(社区)"), queryset=None, empty_label=None)
    held_on = BoundedDateField(label=_("日期"), widget=DateInput(), initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("方式"), choices=Consultation.Mode.choices,
                             widget=forms.RadioSelect)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    topics = forms.CharField(label=_("恳谈议题"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=NOTE_MAX)
    measures = forms.CharField(label=_("商定措施"), required=False, max_length=NOTE_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}))

    PROBLEM_ROWS = 3

    def __init__(self, *args, villages, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        for code, label in ParticipantKind.choices:
            self.fields[f"count_{code}"] = forms.IntegerField(
                label=_("%(kind)s人数") % {"kind": label}, min_value=0, max_value=999,
                required=False)
            self.fields[f"names_{code}"] = forms.CharField(
                label=_("%(kind)s姓名") % {"kind": label}, max_length=300, required=False)
        for i in range(self.PROBLEM_ROWS):
            self.fields[f"problem_{i}_summary"] = forms.CharField(
                label=_("问题 %(n)s") % {"n": i + 1}, max_length=200, required=False)
            self.fields[f"problem_{i}_category"] = forms.ChoiceField(
                label=_("类别"), choices=Problem.Category.choices, required=False,
                initial=Problem.Category.OTHER)
            self.fields[f"problem_{i}_owner"] = OwnerChoiceField(
                label=_("责任人"), queryset=owners, required=False, empty_label=_("本人"))
            self.fields[f"problem_{i}_due_date"] = BoundedDateField(
                label=_("办结期限"), required=False, widget=DateInput())

    def participant_rows(self):
        return [(label, self[f"count_{code}"], self[f"names_{code}"])
                for code, label in ParticipantKind.choices]

    def problem_rows(self):
        return [(self[f"problem_{i}_summary"], self[f"problem_{i}_category"],
                 self[f"problem_{i}_owner"], self[f"problem_{i}_due_date"])
                for i in range(self.PROBLEM_ROWS)]

    def participants(self) -> list[dict]:
        return [{"kind": code, "count": self.cleaned_data.get(f"count_{code}") or 0,
                 "names": self.cleaned_data.get(f"names_{code}") or ""}
                for code, _label in ParticipantKind.choices]

    def problems(self) -> list[dict]:
        result = []
        for i in range(self.PROBLEM_ROWS):
            summary = (self.cleaned_data.get(f"problem_{i}_summary") or "").strip()
            if summary:
                result.append({
                    "summary": summary,
                    "category": self.cleaned_data.get(f"problem_{i}_category")
                    or Problem.Category.OTHER,
                    "owner": self.cleaned_data.get(f"problem_{i}_owner"),
                    "due_date": self.cleaned_data.get(f"problem_{i}_due_date")
                    or timezone.localdate() + timedelta(days=14),
                })
        return result


class ProblemActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in
                                        ("start", "resolve", "confirm", "escalate", "reopen")])
    note = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    resolution = forms.CharField(label=_("如何解决"), required=False, max_length=NOTE_MAX,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    on_the_spot = forms.TypedChoiceField(label=_("是否现场办公解决"), required=False,
                                         choices=[("", "—"), ("1", _("是")), ("0", _("否"))],
                                         coerce=lambda v: v == "1", empty_value=None)
    satisfied = forms.TypedChoiceField(label=_("群众是否满意"), required=False,
                                       choices=[("", "—"), ("1", _("满意")), ("0", _("不满意"))],
                                       coerce=lambda v: v == "1", empty_value=None)


class HandOverForm(forms.Form):
    owner = OwnerChoiceField(label=_("移交给"), queryset=User.objects.none(), empty_label=None)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class OnSiteOfficeForm(forms.Form):
    """现场办公 on a problem: when, where, who attended, what came of it."""

    held_on = forms.DateField(label=_("办公日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=100)
    attendees = forms.CharField(label=_("参加人员"), max_length=300,
                                help_text=_("如:镇农办、村书记、农户本人"))
    outcome = forms.CharField(label=_("办公结果"), widget=forms.Textarea(attrs={"rows": 2}))
