"""Spreadsheet imports: upload -> preview with every error -> confirm (one transaction).

The file's bytes stay in the database keyed to the user (``ImportUpload``) between the
preview and the confirmation; the confirm form sends back only the upload's token.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import DIRECTORY_ADMIN_ROLES, role_of
from residency.access.scoping import get_scope
from residency.importing import ImportContext, available_kinds, get_kind
from residency.importing.conflicts import record_check
from residency.importing.forms import ImportUploadForm
from residency.importing.models import ImportUpload
from residency.importing.pipeline import FileRefused
from residency.importing.reading import read_table
from residency.importing.services import (
    ImportGone,
    ImportInvalid,
    import_confirm,
    upload_check,
    upload_discard,
    upload_store,
)
from residency.importing.template_files import template_csv, template_xlsx

ERRORS_PER_PAGE = 200
PREVIEW_ROWS = 50


def import_context(request, *, county_id: int | None = None) -> ImportContext | None:
    """The importer's county and township from the scope (a system admin's county is the
    one picked); None when the account has no county to import into."""
    role = role_of(request.user)
    scope = get_scope(request)
    if role == "system_admin":
        return ImportContext(user=request.user, role=role.value, county_id=county_id,
                             today=timezone.localdate())
    if scope.county_id is None:
        return None
    return ImportContext(user=request.user, role=role.value, county_id=scope.county_id,
                         township_id=scope.township_id if role == "township_admin" else None,
                         today=timezone.localdate())


class ImportMixin(RoleRequiredMixin):
    allowed_roles = tuple(DIRECTORY_ADMIN_ROLES)

    @property
    def role(self) -> str:
        return role_of(self.request.user).value


class ImportStartView(ImportMixin, FormView):
    template_name = "residency/import_start.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "role": self.role}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = available_kinds(self.role)
        ctx["pending"] = ImportUpload.objects.filter(user=self.request.user).only(
            "kind", "filename", "created_at").first()
        return ctx

    def post(self, request, *args, **kwargs):
        if "cancel" in request.POST:
            upload_discard(user=request.user)
            messages.info(request, _("已取消导入,没有保存任何数据。"))
            return redirect("residency:import-start")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        kind = get_kind(form.cleaned_data["kind"])
        county = form.cleaned_data.get("county")
        if import_context(self.request, county_id=county.pk if county else None) is None:
            form.add_error(None, _("您的账号未设置所属县(市、区)或镇(街道),无法导入。"))
            return self.form_invalid(form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            table = read_table(data, upload.name, max_bytes=settings.IMPORT_MAX_BYTES)
        except FileRefused as refused:
            form.add_error("file", refused.message)
            return self.form_invalid(form)
        upload_store(user=self.request.user, kind=kind.code, filename=upload.name, data=data,
                     county=county, table=table)
        return redirect("residency:import-preview")


def _no_scope(request):
    upload_discard(user=request.user)
    messages.error(request, _("您的账号未设置所属县(市、区)或镇(街道),无法导入。"))
    return redirect("residency:import-start")


def _pending(request) -> ImportUpload | None:
    return ImportUpload.objects.filter(user=request.user).first()


def _preview_context(request, upload: ImportUpload, result, kind) -> dict:
    page = Paginator(result.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "upload": upload, "kind": kind, "result": result, "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(), "querystring": params.urlencode(),
        "preview_rows": [(r, r.display()) for r in result.records[:PREVIEW_ROWS]],
        "more_rows": max(0, len(result.records) - PREVIEW_ROWS),
    }


class ImportPreviewView(ImportMixin, View):
    def get(self, request):
        upload = _pending(request)
        kind = get_kind(upload.kind) if upload else None
        if upload is None or kind is None or self.role not in kind.allowed_roles:
            messages.info(request, _("没有待确认的导入文件,请先上传。"))
            return redirect("residency:import-start")
        ctx = import_context(request, county_id=upload.county_id)
        if ctx is None:
            return _no_scope(request)
        try:
            result = upload_check(upload=upload, ctx=ctx)
        except FileRefused as refused:
            upload_discard(user=request.user)
            messages.error(request, refused.message)
            return redirect("residency:import-start")
        record_check(stage="import_preview", ctx=ctx, kind=kind.code, filename=upload.filename,
                     result=result)
        return render(request, "residency/import_preview.html",
                      _preview_context(request, upload, result, kind))


class ImportConfirmView(ImportMixin, View):
    def post(self, request):
        upload = _pending(request)
        if upload is None or request.POST.get("token") != upload.token:
            messages.error(request, _("该导入已完成、已取消或已被新的上传替换,请重新上传。"))
            return redirect("residency:import-start")
        kind = get_kind(upload.kind)
        if kind is None or self.role not in kind.allowed_roles:
            raise Http404
        ctx = import_context(request, county_id=upload.county_id)
        if ctx is None:
            return _no_scope(request)
        try:
            outcome = import_confirm(upload=upload, ctx=ctx)
        except ImportInvalid as invalid:
            messages.error(request, _("确认时发现错误(数据可能已被他人修改),没有保存任何数据。"))
            return render(request, "residency/import_preview.html",
                          _preview_context(request, upload, invalid.result, kind), status=200)
        except FileRefused as refused:
            upload_discard(user=request.user)
            messages.error(request, refused.message)
            return redirect("residency:import-start")
        except ImportGone:
            messages.error(request, _("该导入已完成、已取消或已被新的上传替换,请重新上传。"))
            return redirect("residency:import-start")
        response = render(request, "residency/import_result.html", {"outcome": outcome,
                                                                     "kind": kind})
        # One-time passwords are shown once: never cache this page.
        response["Cache-Control"] = "no-store"
        return response


class ImportTemplateView(ImportMixin, View):
    def get(self, request, kind: str):
        found = get_kind(kind)
        if found is None or self.role not in found.allowed_roles:
            raise Http404
        if request.GET.get("format") == "csv":
            response = HttpResponse(template_csv(found), content_type="text/csv; charset=utf-8")
            name = f"import_{found.code}.csv"
        else:
            response = HttpResponse(
                template_xlsx(found),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            name = f"import_{found.code}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
