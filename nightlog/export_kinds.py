"""The night log's background export, registered with ``residency.exports`` from
``NightlogConfig.ready()``: the visits of a period as CSV (the columns of
``manage.py export_visits``), for a township admin's township or the organisation
department's county."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.access.roles import Role
from residency.exports import ExportKind, register_kind
from residency.exports.scopes import township_ids_of
from residency.exports.writing import CSV_CONTENT_TYPE, write_csv

VISIT_ROLES = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)
MAX_DAYS = 366


class VisitExportForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期(含)"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期(含)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update(date_from=today.replace(day=1), date_to=today)

    def clean(self):
        data = super().clean()
        since, until = data.get("date_from"), data.get("date_to")
        if since and until:
            if until < since:
                raise forms.ValidationError(_("结束日期不能早于开始日期。"))
            if (until - since).days >= MAX_DAYS:
                raise forms.ValidationError(_("一次最多导出一年的走访记录。"))
        return data

    def params(self) -> dict:
        return {"date_from": self.cleaned_data["date_from"].isoformat(),
                "date_to": self.cleaned_data["date_to"].isoformat()}


def _dates(params):
    from datetime import date

    return date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])


def _count(*, scope, params) -> int:
    from nightlog.models import Visit
    from nightlog.selectors.common import period_range

    start, stop = period_range(*_dates(params))
    qs = Visit.objects.filter(visited_at__gte=start, visited_at__lt=stop)
    ids = township_ids_of(scope)
    if ids is not None:
        qs = qs.filter(household__village__township_id__in=ids)
    return qs.count()


def _write(out, *, scope, params, progress) -> int:
    from nightlog.management.commands.export_visits import COLUMNS, visit_rows

    since, until = _dates(params)
    return write_csv(out, header=COLUMNS, progress=progress,
                     rows=visit_rows(since=since, until=until, township_ids=township_ids_of(scope)))


def register() -> None:
    register_kind(ExportKind(
        code="visits-csv", label=_("导出走访记录(CSV)"), roles=VISIT_ROLES,
        form_class=VisitExportForm, count=_count, write=_write,
        filename=lambda p: f"visits-{p['date_from']}-{p['date_to']}.csv",
        content_type=CSV_CONTENT_TYPE))
