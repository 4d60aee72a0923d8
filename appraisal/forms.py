"""Input shapes only; the services decide."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from residency.bounded_input import BoundedDateField

from .models import AppraisalRules, Grade, PenaltyAction, Rating, RepresentativeKind
from .validators import REPORT_MAX_BYTES, validate_report_file

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO only


class ViolationCreateForm(forms.Form):
    cadre = forms.ModelChoiceField(queryset=None, label=_("干部"))
    occurred_on = BoundedDateField(label=_("发生日期"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("认定结果"), choices=[
        ("confirm", _("认定违规")), ("dismiss", _("不予认定")),
        ("dismiss_present", _("不予认定: 当晚在岗 (更正该晚为在岗, 计入住夜)"))],
        widget=forms.RadioSelect)
    note = forms.CharField(label=_("认定意见"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)


class AppealForm(forms.Form):
    text = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=4000, help_text=_("每条记录只能申诉一次,请一次写清楚。"))


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[
        ("uphold", _("维持认定")), ("overturn", _("撤销认定"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)


class PenaltyActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PenaltyAction.Kind.choices)
    held_on = BoundedDateField(label=_("日期"), widget=DATE_INPUT)
    held_by = forms.CharField(label=_("谈话人/决定机关"), max_length=100)
    measure = forms.CharField(label=_("处理措施"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("组织处理必须填写具体措施。"))


class GradeForm(forms.Form):
    final_grade = forms.ChoiceField(label=_("确定等次"), choices=Grade.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, standing_violations: int = 0, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standing_violations = standing_violations
        self.year = year

    def clean_final_grade(self):
        grade = self.cleaned_data["final_grade"]
        if grade == Grade.EXCELLENT and self.standing_violations:
            raise forms.ValidationError(
                _("该干部 %(year)s 年度有 %(n)s 条已认定的违反住村制度记录,不得评为优秀。"),
                params={"year": self.year, "n": self.standing_violations})
        return grade


class RulesForm(forms.ModelForm):
    class Meta:
        model = AppraisalRules
        fields = ["weight_satisfied", "weight_basic", "weight_unsatisfied",
                  "excellent_min_satisfaction", "excellent_min_must_visit_pct",
                  "competent_min_satisfaction", "basic_min_satisfaction"]


class MeetingForm(forms.Form):
    village = forms.ModelChoiceField(queryset=None, label=_("村(社区)"))
    held_on = BoundedDateField(label=_("会议日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("会议地点"), max_length=100)
    attendees = forms.CharField(label=_("参会人员"), required=False, max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class ReportForm(forms.Form):
    text = forms.CharField(label=_("述职内容"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=20000)
    file = forms.FileField(label=_("附件(可选)"), required=False,
                           help_text=_("PDF、Word 或图片,不超过 %(mb)s MB。")
                           % {"mb": REPORT_MAX_BYTES // (1024 * 1024)})

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_report_file(upload)
        return upload


class CodesForm(forms.Form):
    kind = forms.ChoiceField(label=_("代表类别"), choices=RepresentativeKind.choices)
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=500, initial=30)


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=_("投票码"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "autocapitalize": "characters",
                                                         "inputmode": "text"}))


def ballot_form_class(cadres):
    """A form with one 满意/基本满意/不满意 choice per cadre of the meeting."""
    fields = {"code": forms.CharField(widget=forms.HiddenInput, max_length=20)}
    for cadre in cadres:
        fields[f"cadre_{cadre.pk}"] = forms.ChoiceField(
            label=cadre.name, choices=Rating.choices, widget=forms.RadioSelect)
    return type("BallotForm", (forms.Form,), fields)
