"""Running one export job: claim it, write its file to the ``default`` storage, finish it.
Safe to run twice (idempotent by job id). Called by the task (``residency.exports.tasks``)
and re-exported by ``residency.exports.services``."""
from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from residency import audit, events
from residency.exports.models import ExportJob
from residency.exports.registry import get_kind
from residency.exports.scopes import scope_from_json

logger = logging.getLogger("residency.exports")

# How often the worker writes rows_done (the job page polls it).
PROGRESS_EVERY_ROWS = 1000
PROGRESS_EVERY_SECONDS = 1.0
# A job marked running for longer than this is taken as lost (the worker died) and run again.
STALE_AFTER = timedelta(hours=1)


def link_ttl() -> timedelta:
    return timedelta(hours=settings.EXPORT_LINK_TTL_HOURS)


class _Progress:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last_rows = 0
        self.last_at = timezone.now()

    def __call__(self, rows: int) -> None:
        now = timezone.now()
        if rows - self.last_rows < PROGRESS_EVERY_ROWS and (
                (now - self.last_at).total_seconds() < PROGRESS_EVERY_SECONDS):
            return
        self.last_rows, self.last_at = rows, now
        ExportJob.objects.filter(pk=self.job_id).update(rows_done=rows)


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running, unless it is finished or another worker runs it now."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
            return None
        now = timezone.now()
        if (job.status == ExportJob.Status.RUNNING and job.started_at is not None
                and job.started_at > now - STALE_AFTER):
            return None
        job.status, job.started_at, job.rows_done, job.error = ExportJob.Status.RUNNING, now, 0, ""
        job.save(update_fields=["status", "started_at", "rows_done", "error"])
        return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file. Safe to run twice: a finished job is left as it is, a job that
    died half-way is written again to the same storage name."""
    job = _claim(job_id)
    if job is None:
        return ExportJob.objects.filter(pk=job_id).first()
    kind = get_kind(job.kind)
    scope = scope_from_json(job.scope)
    name = f"exports/{job.pk}/{job.filename}"
    try:
        if kind is None:
            raise ValueError(f"unknown export kind {job.kind!r}")
        with translation.override(settings.LANGUAGE_CODE):
            total = kind.count(scope=scope, params=job.params)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            with tempfile.TemporaryFile() as tmp:
                rows = kind.write(tmp, scope=scope, params=job.params, progress=_Progress(job.pk))
                tmp.seek(0)
                if default_storage.exists(name):
                    default_storage.delete(name)
                saved = default_storage.save(name, File(tmp, name=os.path.basename(name)))
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        return _finish(job, status=ExportJob.Status.FAILED, error=str(exc)[:300])
    return _finish(job, status=ExportJob.Status.DONE, rows=rows, total=max(total, rows), file=saved)


@transaction.atomic
def _finish(job: ExportJob, *, status: str, rows: int = 0, total: int | None = None,
            file: str = "", error: str = "") -> ExportJob:
    now = timezone.now()
    job.refresh_from_db()
    job.status, job.finished_at, job.error = status, now, error
    fields = ["status", "finished_at", "error"]
    if status == ExportJob.Status.DONE:
        job.rows_done, job.rows_total, job.file = rows, total, file
        job.expires_at = now + link_ttl()
        fields += ["rows_done", "rows_total", "file", "expires_at"]
    job.save(update_fields=fields)
    audit.record("export_finish", obj=job, user=job.requested_by, kind=job.kind, status=status,
                 rows=job.rows_done)
    transaction.on_commit(lambda: events.export_finished.send(sender=ExportJob, job_id=job.pk))
    return job


def export_jobs_purge_expired(*, now=None) -> int:
    """Delete the files of jobs whose link has expired (the job rows stay, marked expired).
    Returns how many files were purged."""
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        if job.file:
            default_storage.delete(job.file)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
        purged += 1
    # Jobs that failed leave nothing to delete; files of jobs that died half-way are
    # overwritten when they are run again.
    return purged
