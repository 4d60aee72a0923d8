"""The export pages: start a job (the kind's form), the job page with its progress (polled
by static/js/export_job.js), the progress as JSON, and the download."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views import View

from residency.access.scoping import get_scope
from residency.exports.models import ExportJob
from residency.exports.registry import get_kind
from residency.exports.selectors import export_job_for, export_jobs_visible
from residency.exports.services import ExportUnavailable, export_job_download, export_job_start


def _kind_for(request, code: str):
    kind = get_kind(code)
    if kind is None:
        raise Http404
    if get_scope(request).role not in kind.roles:
        raise PermissionDenied
    return kind


class ExportJobCreateView(LoginRequiredMixin, View):
    """GET: the kind's form; POST: start the job and go to its page."""

    template_name = "residency/exportjob_create.html"

    def get(self, request, kind):
        export_kind = _kind_for(request, kind)
        form = export_kind.form_class(request.GET or None, scope=get_scope(request))
        return render(request, self.template_name, {"kind": export_kind, "form": form})

    def post(self, request, kind):
        export_kind = _kind_for(request, kind)
        scope = get_scope(request)
        form = export_kind.form_class(request.POST, scope=scope)
        if not form.is_valid():
            return render(request, self.template_name, {"kind": export_kind, "form": form},
                          status=400)
        job = export_job_start(kind=kind, params=form.params(), by=request.user, scope=scope)
        return redirect("residency:export-detail", pk=job.pk)


class ExportJobListView(LoginRequiredMixin, View):
    template_name = "residency/exportjob_list.html"

    def get(self, request):
        jobs = export_jobs_visible(user=request.user, scope=get_scope(request))[:50]
        return render(request, self.template_name, {"jobs": [
            (job, getattr(get_kind(job.kind), "label", job.kind)) for job in jobs]})


class ExportJobDetailView(LoginRequiredMixin, View):
    template_name = "residency/exportjob_detail.html"

    def get(self, request, pk):
        job = export_job_for(user=request.user, scope=get_scope(request), pk=pk)
        kind = get_kind(job.kind)
        return render(request, self.template_name, {
            "job": job, "label": kind.label if kind else job.kind, "expired": job.expired()})


class ExportJobProgressView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = export_job_for(user=request.user, scope=get_scope(request), pk=pk)
        return JsonResponse({"status": job.status, "rows_done": job.rows_done,
                             "rows_total": job.rows_total, "percent": job.percent,
                             "finished": job.finished})


class ExportJobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = export_job_for(user=request.user, scope=get_scope(request), pk=pk)
        try:
            handle = export_job_download(job=job, by=request.user)
        except ExportUnavailable:
            return render(request, "residency/exportjob_detail.html", {
                "job": job, "label": getattr(get_kind(job.kind), "label", job.kind),
                "expired": job.expired() or job.status == ExportJob.Status.EXPIRED}, status=410)
        kind = get_kind(job.kind)
        return FileResponse(handle, as_attachment=True, filename=job.filename,
                            content_type=kind.content_type if kind else "application/octet-stream")
