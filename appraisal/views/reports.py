from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope

from .. import exports, selectors
from .common import county_scope, int_param, year_param

REPORT_ROLES = (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
# The xlsx is written before the first byte is sent, so it must finish well inside the web
# worker's timeout (gunicorn: 30 s by default). Measured with lxml (docs/PERFORMANCE.md,
# "Appraisal export"): 10,000 cadres about 11 s, 20,000 about 30 s on a loaded 2-core VM.
# Above the cap the page offers the streamed CSV, and ``export_appraisal`` for the xlsx.
XLSX_WEB_MAX_CADRES = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportStatsView(RoleRequiredMixin, View):
    """County statistics with charts, and the downloads."""

    allowed_roles = REPORT_ROLES
    template_name = "appraisal/report_stats.html"

    def get(self, request):
        year = year_param(request)
        scope, counties, county_id = county_scope(request)
        stats = selectors.county_statistics(scope=scope, year=year)
        return render(request, self.template_name, {"year": year, "stats": stats,
                                                    "counties": counties, "county_id": county_id})


class ReportXlsxView(RoleRequiredMixin, View):
    """The annual report as xlsx, written in write-only mode to a temporary file and sent
    from there: memory does not grow with the number of cadres."""

    allowed_roles = REPORT_ROLES

    def get(self, request):
        year = year_param(request)
        township_id = int_param(request, "township")
        scope = county_scope(request)[0] if request.GET.get("county") else get_scope(request)
        size = selectors.appraisal_cadres(scope=scope, year=year, township_id=township_id).count()
        if size > XLSX_WEB_MAX_CADRES:
            messages.warning(request, _(
                "共 %(n)s 名干部,Excel 文件需要几分钟才能生成:请下载 CSV,或请系统管理员运行 "
                "export_appraisal 命令生成 Excel。") % {"n": size})
            return redirect(f"{reverse('appraisal:report-stats')}?year={year}")
        rows = selectors.iter_appraisal_rows(scope=scope, year=year, township_id=township_id)
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
        scope = county_scope(request)[0] if request.GET.get("county") else get_scope(request)
        rows = selectors.iter_appraisal_rows(scope=scope, year=year, township_id=township_id)
        audit.record("export_appraisal_csv", year=year, township=township_id,
                     county=request.GET.get("county", ""))
        response = StreamingHttpResponse(exports.iter_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="appraisal-{year}.csv"'
        return response
