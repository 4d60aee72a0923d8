"""The appraisal app's background exports, registered with ``residency.exports`` from
``AppraisalConfig.ready()``: the annual report (xlsx for people, CSV with machine keys)
and the monthly/yearly statistics xlsx. Each is run by a worker at the requester's scope,
with no size cap (docs/APPRAISAL.md, "Exports")."""
from __future__ import annotations

from dataclasses import replace

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.access.roles import Role
from residency.access.scoping import ALL, COUNTY
from residency.exports import ExportKind, register_kind
from residency.exports.scopes import township_ids_of
from residency.exports.writing import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, CountingRows

REPORT_ROLES = (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
STATISTICS_ROLES = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER,
                    Role.SYSTEM_ADMIN)


class AppraisalExportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    township = forms.IntegerField(label=_("镇(街道)编号(可空:全部)"), required=False,
                                  min_value=1, widget=forms.HiddenInput)
    county = forms.IntegerField(label=_("县(市、区)编号(可空:全部)"), required=False,
                                min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if not self.is_bound:
            self.initial["year"] = timezone.localdate().year

    def params(self) -> dict:
        data = self.cleaned_data
        county = data.get("county") if self.scope.level == ALL else None
        return {"year": data["year"], "township": data.get("township"), "county": county}


def _scope(scope, params):
    """A province-wide scope narrowed to the chosen county, if one was chosen."""
    if scope.level == ALL and params.get("county"):
        return replace(scope, level=COUNTY, county_ids=frozenset({params["county"]}))
    return scope


def _count_appraisal(*, scope, params) -> int:
    from .selectors import appraisal_cadres

    return appraisal_cadres(scope=_scope(scope, params), year=params["year"],
                            township_id=params.get("township")).count()


def _rows(scope, params, progress):
    from .selectors import iter_appraisal_rows

    return CountingRows(iter_appraisal_rows(scope=_scope(scope, params), year=params["year"],
                                            township_id=params.get("township")), progress)


def _write_appraisal_xlsx(out, *, scope, params, progress) -> int:
    from .exports import write_xlsx

    return write_xlsx(_rows(scope, params, progress), out, year=params["year"])


def _write_appraisal_csv(out, *, scope, params, progress) -> int:
    from .exports import iter_csv

    rows = _rows(scope, params, progress)
    first = True
    for line in iter_csv(rows):
        out.write(line.encode("utf-8-sig" if first else "utf-8"))
        first = False
    return rows.count


def _name(params, extension: str) -> str:
    where = f"-t{params['township']}" if params.get("township") else (
        f"-c{params['county']}" if params.get("county") else "")
    return f"appraisal-{params['year']}{where}.{extension}"


class StatisticsExportForm(forms.Form):
    period = forms.CharField(label=_("月份或年度(如 2026-11 或 2026)"), max_length=7)
    township = forms.CharField(label=_("镇(街道)"), required=False, max_length=20,
                               widget=forms.HiddenInput)
    county = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if not self.is_bound:
            from .statistics import Period

            self.initial["period"] = Period.month_of(timezone.localdate()).code

    def clean_period(self):
        from .statistics import Period, PeriodError

        try:
            return Period.parse(self.cleaned_data["period"]).code
        except PeriodError as exc:
            raise forms.ValidationError(_("月份应为 2026-11,年度应为 2026。")) from exc

    def clean_township(self):
        raw = (self.cleaned_data.get("township") or "").strip()
        if raw in ("", "all"):
            return None
        if not (raw.isascii() and raw.isdigit()):
            raise forms.ValidationError(_("镇(街道)无效。"))
        return int(raw)

    def params(self) -> dict:
        county = self.cleaned_data.get("county") if self.scope.level == ALL else None
        return {"period": self.cleaned_data["period"], "township": self.cleaned_data["township"],
                "county": county}


def _statistics_townships(scope, params) -> list[int]:
    from residency.models import Township

    ids = township_ids_of(_scope(scope, params))
    if params.get("township"):
        return [params["township"]] if ids is None or params["township"] in ids else []
    if ids is None:
        return list(Township.objects.order_by("code").values_list("pk", flat=True))
    return ids


def _count_statistics(*, scope, params) -> int:
    from residency.models import Village

    return Village.objects.filter(township_id__in=_statistics_townships(scope, params)).count()


def _write_statistics(out, *, scope, params, progress) -> int:
    from .statistics import Period, village_statistics, write_statistics_xlsx

    stats = village_statistics(township_ids=_statistics_townships(scope, params),
                               period=Period.parse(params["period"]))
    write_statistics_xlsx(stats, out)
    progress(len(stats.rows))
    return len(stats.rows)


def register() -> None:
    register_kind(ExportKind(
        code="appraisal-xlsx", label=_("年度考核表(Excel)"), roles=REPORT_ROLES,
        form_class=AppraisalExportForm, count=_count_appraisal, write=_write_appraisal_xlsx,
        filename=lambda p: _name(p, "xlsx"), content_type=XLSX_CONTENT_TYPE))
    register_kind(ExportKind(
        code="appraisal-csv", label=_("年度考核表(CSV)"), roles=REPORT_ROLES,
        form_class=AppraisalExportForm, count=_count_appraisal, write=_write_appraisal_csv,
        filename=lambda p: _name(p, "csv"), content_type=CSV_CONTENT_TYPE))
    register_kind(ExportKind(
        code="statistics-xlsx", label=_("住村统计(Excel)"), roles=STATISTICS_ROLES,
        form_class=StatisticsExportForm, count=_count_statistics, write=_write_statistics,
        filename=lambda p: f"statistics-{p.get('township') or 'all'}-{p['period']}.xlsx",
        content_type=XLSX_CONTENT_TYPE))
