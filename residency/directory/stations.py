"""Which station is in force on a date, in one place.

A station runs from ``start`` to ``end`` inclusive (``end`` empty: open). A station whose
start lies in the future is not in force yet: the cadre stays where he or she was until
that date (docs/ROSTER.md "调动"). Every reader that asks "where is this cadre stationed
on night N" uses these; "who is on duty in village V on night N" (the planner, incidents,
reminders, roster gaps, review-meeting rosters) is ``residency.roster.duty``, built on them."""
from __future__ import annotations

from datetime import date

from django.db.models import Q


def in_force_on_q(day, prefix: str = "") -> Q:
    """Stations in force on ``day`` (a date or an expression such as ``OuterRef``)."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def overlapping_q(start: date, end: date, prefix: str = "") -> Q:
    """Stations in force on at least one day of ``start..end``."""
    return Q(**{f"{prefix}start__lte": end}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start}))


def covers(start: date, end: date | None, day: date) -> bool:
    """The same rule on plain values."""
    return start <= day and (end is None or end >= day)
