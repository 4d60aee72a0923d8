"""Factories for roster tests."""
from __future__ import annotations

from datetime import date

from residency.models import Leave, RosterWeek, Stay


def make_week(township, week_start: date, *, published: bool = False) -> RosterWeek:
    from django.utils import timezone

    return RosterWeek.objects.create(
        township=township, week_start=week_start,
        status=RosterWeek.Status.PUBLISHED if published else RosterWeek.Status.DRAFT,
        published_at=timezone.now() if published else None)


def make_stay(week: RosterWeek, cadre, village, night: date, **extra) -> Stay:
    return Stay.objects.create(week=week, cadre=cadre, village=village, night=night, **extra)


def make_leave(cadre, start: date, end: date, *, status=Leave.Status.APPROVED, kind="personal") -> Leave:
    return Leave.objects.create(cadre=cadre, start=start, end=end, status=status, kind=kind)
