"""Roster rows for reminder tests (plain functions, no magic)."""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from notifications.models import Notification
from residency.models import RosterWeek, Stay
from residency.nights.isoweek import monday_of


def make_week(township, day: date, *, published: bool = True) -> RosterWeek:
    week, _ = RosterWeek.objects.get_or_create(township=township, week_start=monday_of(day))
    if published and week.status != RosterWeek.Status.PUBLISHED:
        week.status = RosterWeek.Status.PUBLISHED
        week.published_at = timezone.now()
        week.save(update_fields=["status", "published_at"])
    return week


def make_stay(cadre, night: date, *, village=None, published: bool = True,
              checked_in_at: datetime | None = None) -> Stay:
    village = village or cadre.stations.get(end__isnull=True).village
    week = make_week(village.township, night, published=published)
    return Stay.objects.create(cadre=cadre, village=village, night=night, week=week,
                               checked_in_at=checked_in_at)


def local(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.get_current_timezone())


def keys(kind: str | None = None) -> list[tuple]:
    qs = Notification.objects.order_by("recipient_id", "subject")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("recipient__username", "kind", "subject", "date"))
