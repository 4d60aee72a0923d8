from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from residency.nights import cutoff


def window_end() -> time:
    """The morning cut-off of a night in the night log (``residency.nights``, "visit")."""
    return cutoff("visit")


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def night_range(since: date, until: date) -> tuple[datetime, datetime]:
    """Aware [start, end) of the nights ``since``..``until`` (each ends at the window end
    the next morning)."""
    end = window_end()
    start = timezone.make_aware(datetime.combine(since, end))
    stop = timezone.make_aware(datetime.combine(until + timedelta(days=1), end))
    return start, stop


def period_range(since: date, until: date) -> tuple[datetime, datetime]:
    return day_start(since), day_start(until + timedelta(days=1))
