"""Residency's own export kind: the roster of an ISO week at the requester's scope
(a township, a county, the province) as CSV, the columns of ``export_roster``."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.access.roles import Role
from residency.exports.registry import ExportKind, register_kind
from residency.exports.scopes import township_ids_of
from residency.exports.writing import CSV_CONTENT_TYPE, write_csv
from residency.nights.isoweek import BadWeek, format_week, monday_of, parse_week

ROSTER_ROLES = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)


class RosterExportForm(forms.Form):
    week = forms.CharField(label=_("周(如 2026-W10)"), max_length=10)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if not self.is_bound:
            self.initial["week"] = format_week(monday_of(timezone.localdate()))

    def clean_week(self):
        try:
            return format_week(parse_week(self.cleaned_data["week"]))
        except BadWeek as exc:
            raise forms.ValidationError(_("周的格式应为 2026-W10(年-W周)。")) from exc

    def params(self) -> dict:
        return {"week": self.cleaned_data["week"]}


def _rows(scope, params):
    from residency.roster.outputs import export_rows

    return export_rows(week_start=parse_week(params["week"]), township_ids=township_ids_of(scope))


def count(*, scope, params) -> int:
    from residency.models import Stay

    qs = Stay.objects.filter(week__week_start=parse_week(params["week"]))
    ids = township_ids_of(scope)
    if ids is not None:
        qs = qs.filter(village__township_id__in=ids)
    return qs.count()  # leave days come on top: the bar may pass 100% only at the very end


def write(out, *, scope, params, progress) -> int:
    from residency.roster.outputs import CSV_COLUMNS

    return write_csv(out, header=CSV_COLUMNS, rows=_rows(scope, params), progress=progress)


register_kind(ExportKind(
    code="roster-csv", label=_("导出住夜排班(CSV)"), roles=ROSTER_ROLES,
    form_class=RosterExportForm, count=count, write=write,
    filename=lambda params: f"roster-{params['week']}.csv", content_type=CSV_CONTENT_TYPE))
