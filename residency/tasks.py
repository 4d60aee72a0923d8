"""Thin Celery adapters for the roster: take ids, re-fetch, call one service.

Townships are independent planning problems, so planning a county (or a province) is one
task per township, spread over the workers. ``plan_township_week`` is idempotent: running
it twice plans the same week to the same result (the planner is deterministic and
re-planning keeps what it can)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from residency.models import Township
from residency.roster.services import roster_plan


@shared_task(name="residency.plan_township_week", acks_late=True, reject_on_worker_lost=True,
             time_limit=300, soft_time_limit=240)
def plan_township_week(township_id: int, week_start: str, user_id: int | None = None) -> dict:
    """Plan one township's ISO week (``week_start`` is the Monday, ISO format)."""
    from django.contrib.auth import get_user_model

    township = Township.objects.get(pk=township_id)
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    summary = roster_plan(township=township, week_start=date.fromisoformat(week_start), by=by)
    return {"township_id": township_id, "week_start": week_start, "created": summary.created,
            "updated": summary.updated, "deleted": summary.deleted, "gaps": summary.gaps,
            "crowded": summary.crowded}
