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


def populate(township, *, villages: int, cadres_per_village: int, prefix: str = "p"):
    """Add ``villages`` villages with ``cadres_per_village`` cadres each to ``township``."""
    from tests.residency.factories import make_cadre, make_village

    out = []
    for i in range(villages):
        v = make_village(township, code=f"{prefix}{i:03d}", name=f"{prefix}村{i}")
        out.append((v, [make_cadre(v, username=f"{prefix}{township.pk}_{i}_{j}", name=f"干部{i}{j}")
                        for j in range(cadres_per_village)]))
    return out
