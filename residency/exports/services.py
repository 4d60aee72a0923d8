"""Every write of an export job: start (the task is enqueued after commit), run
(``running``: idempotent by job id), download (audited), purge of expired files."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit
from residency.access.scoping import Scope
from residency.exports.models import ExportJob
from residency.exports.registry import get_kind
from residency.exports.running import export_job_run, export_jobs_purge_expired, link_ttl
from residency.exports.scopes import scope_key, scope_to_json
from residency.exports.tasks import export_job_run_task

__all__ = ["ExportUnavailable", "export_job_download", "export_job_run", "export_job_start",
           "export_jobs_purge_expired", "link_ttl"]


class ExportUnavailable(Exception):
    """The job's file cannot be downloaded (not finished, failed or expired)."""


@transaction.atomic
def export_job_start(*, kind: str, params: dict, by, scope: Scope) -> ExportJob:
    """Record the job and enqueue its task after commit (in-process without a broker)."""
    export_kind = get_kind(kind)
    if export_kind is None:
        raise ValidationError(_("没有这种导出。"))
    if scope.role not in export_kind.roles:
        raise PermissionDenied
    job = ExportJob(kind=kind, params=params, requested_by=by, role=scope.role.value,
                    scope=scope_to_json(scope), scope_key=scope_key(scope),
                    filename=export_kind.filename(params))
    job.full_clean()
    job.save()
    audit.record("export_start", obj=job, user=by, kind=kind, params=params)
    transaction.on_commit(lambda: export_job_run_task.delay(job.pk))
    return job


def export_job_download(*, job: ExportJob, by):
    """The job's file, opened for reading; one audit row per download."""
    if job.status != ExportJob.Status.DONE or job.expired() or not job.file:
        raise ExportUnavailable
    try:
        handle = default_storage.open(job.file, "rb")
    except FileNotFoundError as exc:
        raise ExportUnavailable from exc
    audit.record("export_download", obj=job, user=by, kind=job.kind, rows=job.rows_done,
                 requested_by=job.requested_by_id)
    return handle
