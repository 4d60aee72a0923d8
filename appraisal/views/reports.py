from __future__ import annotations

from urllib.parse import urlencode

from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope

from .. import exports, selectors
from .common import county_scope, int_param, year_param

REPORT_ROLES = (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)


class ReportStatsView(RoleRequiredMixin, View):
    """County statistics with charts, and the downloads."""

    allowed_roles = REPORT_ROLES
    template_name = "appraisal/report_stats.html"

    def get(self, request):
        year = year_param(request)
        scope, counties, county_id = county_scope(request)
        stats, computed_at = selectors.cached_county_statistics(
            scope=scope, year=year, refresh=request.GET.get("refresh") == "1")
        return render(request, self.template_name, {"year": year, "stats": stats, "computed_at": computed_at,
                                                    "stats_cache_minutes": selectors.stats_cache_seconds() // 60,
                                                    "counties": counties, "county_id": county_id})


class ReportXlsxView(RoleRequiredMixin, View):
    """The annual report as xlsx is a background export of any size (``appraisal-xlsx``,
    registered in ``appraisal.export_kinds``): this old address leads to its start page,
    with the year and the county of the link filled in."""

    allowed_roles = REPORT_ROLES

    def get(self, request):
        query = {"year": year_param(request)}
        for name in ("township", "county"):
            if int_param(request, name):
                query[name] = int_param(request, name)
        return redirect(f"{reverse('residency:export-create', kwargs={'kind': 'appraisal-xlsx'})}"
                        f"?{urlencode(query)}")


class ReportCsvView(RoleRequiredMixin, View):
    allowed_roles = REPORT_ROLES

    def get(self, request):
        year = year_param(request)
        township_id = int_param(request, "township")
        scope = county_scope(request)[0] if request.GET.get("county") else get_scope(request)
        rows = selectors.iter_appraisal_rows(scope=scope, year=year, township_id=township_id)
        audit.record("export_appraisal_csv", year=year, township=township_id,
                     county=request.GET.get("county", ""))
        response = StreamingHttpResponse(exports.iter_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="appraisal-{year}.csv"'
        return response
