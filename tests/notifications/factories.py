"""Roster rows for reminder tests (plain functions, no magic)."""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from notifications.models import DigestItem, Notification
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
    """The reminders' keys, whether sent on their own (``Notification``) or listed in a
    digest (``DigestItem``)."""
    fields = ("recipient__username", "kind", "subject", "date")
    rows = []
    for model in (Notification, DigestItem):
        qs = model.objects.exclude(kind="digest")
        if kind:
            qs = qs.filter(kind=kind)
        rows += list(qs.values_list(*fields, "recipient_id"))
    return [r[:4] for r in sorted(rows, key=lambda r: (r[4], r[2], r[3]))]


def items(kind: str | None = None):
    """What the digests listed (``DigestItem`` rows), optionally of one kind."""
    qs = DigestItem.objects.order_by("recipient_id", "subject", "date")
    return qs.filter(kind=kind) if kind else qs
