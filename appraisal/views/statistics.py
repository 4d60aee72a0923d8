"""The monthly and yearly statistics page and its xlsx (docs/STATISTICS.md)."""
from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import ALL, COUNTY, TOWNSHIP
from residency.models import Township

from ..statistics import Period, PeriodError, village_statistics, write_statistics_xlsx
from .common import county_scope, int_param

STATISTICS_ROLES = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER,
                    Role.SYSTEM_ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_param(request) -> tuple[Period, bool]:
    """``?period=2026-11`` or ``?period=2026``; this month when absent or invalid (the
    second value says the input was refused)."""
    raw = request.GET.get("period", "")
    try:
        return Period.parse(raw), False
    except PeriodError:
        return Period.month_of(timezone.localdate()), bool(raw)


ALL_TOWNSHIPS = "all"


def choose_township(request):
    """The townships the user may read (a township admin: own; the organisation department:
    the county's; a viewer: those of the chosen county) and the chosen one (``?township=``,
    default the first; ``all``: every one of them, the county view).
    Returns (townships, township or None, counties, county_id)."""
    scope, counties, county_id = county_scope(request)
    townships = Township.objects.order_by("code")
    if scope.level == TOWNSHIP:
        townships = townships.filter(pk__in=sorted(scope.township_ids))
    elif scope.level == COUNTY:
        townships = townships.filter(county_id__in=sorted(scope.county_ids))
    elif scope.level != ALL:
        townships = townships.none()
    townships = list(townships)
    if request.GET.get("township") == ALL_TOWNSHIPS and len(townships) > 1:
        return townships, None, counties, county_id
    wanted = int_param(request, "township")
    chosen = next((t for t in townships if t.pk == wanted), townships[0] if townships else None)
    return townships, chosen, counties, county_id


class StatisticsView(RoleRequiredMixin, View):
    """One township's month or year: a table per village with a total, and four charts."""

    allowed_roles = STATISTICS_ROLES
    template_name = "appraisal/statistics.html"

    def get(self, request):
        period, refused = period_param(request)
        townships, township, counties, county_id = choose_township(request)
        stats = village_statistics(township_ids=_ids(townships, township), period=period)
        return render(request, self.template_name, {
            "period": period, "period_refused": refused, "stats": stats,
            "chart": stats.chart_data(), "townships": townships, "township": township,
            "whole_county": township is None and len(townships) > 1,
            "township_rows": stats.by_township() if township is None else [],
            "counties": counties, "county_id": county_id,
            "this_year": timezone.localdate().year,
        })


def _ids(townships, township) -> list[int]:
    """The chosen township, or every township offered (the county view)."""
    if township is not None:
        return [township.pk]
    return [t.pk for t in townships] if len(townships) > 1 else []


class StatisticsXlsxView(RoleRequiredMixin, View):
    """The same table as xlsx (first sheet 村(社区)统计), audited."""

    allowed_roles = STATISTICS_ROLES

    def get(self, request):
        period, _refused = period_param(request)
        townships, township, _counties, _county_id = choose_township(request)
        stats = village_statistics(township_ids=_ids(townships, township), period=period)
        out = io.BytesIO()
        write_statistics_xlsx(stats, out)
        audit.record("export_statistics_xlsx", period=period.code,
                     township=township.pk if township else ALL_TOWNSHIPS, rows=len(stats.rows))
        name = f"statistics-{township.code if township else ALL_TOWNSHIPS}-{period.code}.xlsx"
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
