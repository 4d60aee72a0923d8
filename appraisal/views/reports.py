from __future__ import annotations

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from residency import audit
from residency.permissions import RoleRequiredMixin
from residency.roles import Role
from residency.scoping import get_scope

from .. import exports, selectors
from .common import int_param, year_param

REPORT_ROLES = (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportStatsView(RoleRequiredMixin, View):
    """County statistics with charts, and the downloads."""

    allowed_roles = REPORT_ROLES
    template_name = "appraisal/report_stats.html"

    def get(self, request):
        year = year_param(request)
        stats = selectors.county_statistics(scope=get_scope(request), year=year)
        return render(request, self.template_name, {"year": year, "stats": stats})


class ReportXlsxView(RoleRequiredMixin, View):
    """The annual report as xlsx, written in write-only mode to a temporary file and sent
    from there: memory does not grow with the number of cadres."""

    allowed_roles = REPORT_ROLES

    def get(self, request):
        year = year_param(request)
        township_id = int_param(request, "township")
        rows = selectors.iter_appraisal_rows(scope=get_scope(request), year=year,
                                             township_id=township_id)
        out = tempfile.TemporaryFile(suffix=".xlsx")
        count = exports.write_xlsx(rows, out, year=year)
        out.seek(0)
        audit.record("export_appraisal_xlsx", year=year, rows=count, township=township_id)
        return FileResponse(out, as_attachment=True, filename=f"appraisal-{year}.xlsx",
                            content_type=XLSX)


class ReportCsvView(RoleRequiredMixin, View):
    allowed_roles = REPORT_ROLES

    def get(self, request):
        year = year_param(request)
        township_id = int_param(request, "township")
        rows = selectors.iter_appraisal_rows(scope=get_scope(request), year=year,
                                             township_id=township_id)
        audit.record("export_appraisal_csv", year=year, township=township_id)
        response = StreamingHttpResponse(exports.iter_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="appraisal-{year}.csv"'
        return response
