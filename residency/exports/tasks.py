"""Thin Celery adapters for exports: take ids, call one service. Imported by
``ResidencyConfig.ready()`` so that the worker knows them."""
from __future__ import annotations

from celery import shared_task

# A province export takes about a minute (docs/PERFORMANCE.md); leave room on a busy machine.
EXPORT_TIME_LIMIT = 30 * 60


@shared_task(name="residency.export_job_run", acks_late=True, reject_on_worker_lost=True,
             time_limit=EXPORT_TIME_LIMIT, soft_time_limit=EXPORT_TIME_LIMIT - 60)
def export_job_run_task(job_id: int) -> str:
    from residency.exports.running import export_job_run

    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


@shared_task(name="residency.exports_purge_expired")
def exports_purge_expired_task() -> int:
    from residency.exports.running import export_jobs_purge_expired

    return export_jobs_purge_expired()
