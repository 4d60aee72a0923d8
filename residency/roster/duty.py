"""Who is on duty in village V on night N: one selector for everything that asks.

On duty = holds the published stay of that village and night, is an active cadre, and is
not on approved leave that night. It feeds the incident builder (appraisal) and the
tonight and missing-check-in reminders (notifications). The planner decides who will be on
duty from the stations in force (``residency.directory.stations``) and active cadres, the
same facts this selector reads back."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef

from residency.models import Leave, RosterWeek, Stay


def on_duty_stays(*, since: date, until: date, village_ids: Iterable[int] | None = None):
    """The published stays of cadres on duty on the nights ``since..until`` (a queryset)."""
    on_leave = Exists(Leave.objects.filter(cadre_id=OuterRef("cadre_id"), status=Leave.Status.APPROVED,
                                           start__lte=OuterRef("night"), end__gte=OuterRef("night")))
    qs = Stay.objects.filter(week__status=RosterWeek.Status.PUBLISHED, night__gte=since,
                             night__lte=until, cadre__active=True).exclude(on_leave)
    if village_ids is not None:
        qs = qs.filter(village_id__in=list(village_ids))
    return qs


def on_duty(*, village_id: int, night: date) -> list[int]:
    """The ids of the cadres on duty in ``village_id`` on ``night`` (one query)."""
    return sorted(on_duty_stays(since=night, until=night, village_ids=[village_id])
                  .values_list("cadre_id", flat=True))


def duty_map(*, since: date, until: date,
             village_ids: Iterable[int] | None = None) -> dict[tuple[int, date], frozenset[int]]:
    """``{(village_id, night): cadre ids on duty}`` for every night ``since..until`` that
    has someone on duty (one query)."""
    found: dict[tuple[int, date], set[int]] = defaultdict(set)
    for village_id, night, cadre_id in on_duty_stays(since=since, until=until, village_ids=village_ids) \
            .values_list("village_id", "night", "cadre_id"):
        found[(village_id, night)].add(cadre_id)
    return {key: frozenset(ids) for key, ids in found.items()}
