"""Thin Celery adapters: take ids or dates, call one service. Safe to run twice."""
from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="appraisal.violation_candidates_sync")
def violation_candidates_sync(since: str | None = None, until: str | None = None) -> int:
    """Sweep the roster's signals into candidate incidents (default: the last 35 days, so
    a spot check or leave decided late is still seen). Scheduled nightly with celery beat."""
    end = date.fromisoformat(until) if until else timezone.localdate()
    start = date.fromisoformat(since) if since else end - timedelta(days=35)
    return services.violation_candidates_sync(since=start, until=end)


@shared_task(name="appraisal.violation_candidate_from_spot_check")
def violation_candidate_from_spot_check(spot_check_id: int) -> int | None:
    violation = services.violation_candidate_from_spot_check(spot_check_id=spot_check_id)
    return violation.pk if violation else None
