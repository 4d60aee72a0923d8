"""Who is on duty in village V on night N: one selector for everything that asks.

Two layers, one rule:

- **Stationed for duty** (``duty_stations``): the cadre's station in V is in force on N
  (``residency.directory.stations``: a station starting later takes effect on its start
  date, one that ended stops on its end date) and the cadre is in post (``Cadre.active``).
  The planner plans exactly these cadres, roster gaps are counted for them, and the review
  meeting's cadre list is the cadres stationed in its village during its year (there with
  ``in_post=False``: a closed meeting's list does not change when a cadre later leaves his
  post).
- **On duty** (``on_duty_stays`` / ``on_duty`` / ``duty_map``): stationed for duty on N (in
  any village: a borrowed stay counts where it is held), holding the published stay of V on
  N, and not on approved leave that night. The incident builder (appraisal) and the tonight
  and missing-check-in reminders (notifications) read this.

Inactive cadres and nights outside a cadre's station periods are on nobody's duty, so they
produce no stay from the planner, no reminder, no roster gap and no incident."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from residency.directory.stations import covers, in_force_on_q, overlapping_q
from residency.models import Cadre, Leave, RosterWeek, Station, Stay

__all__ = ["covers", "duty_stations", "duty_stations_q", "duty_map", "on_duty", "on_duty_stays",
           "stationed_cadres"]


def duty_stations_q(*, since: date, until: date, prefix: str = "", in_post: bool = True) -> Q:
    """Stations in force on at least one night of ``since..until`` (of cadres in post)."""
    q = overlapping_q(since, until, prefix)
    if in_post:
        q &= Q(**{f"{prefix}cadre__active": True})
    return q


def duty_stations(*, since: date, until: date, village_ids: Iterable[int] | None = None,
                  township_ids: Iterable[int] | None = None, in_post: bool = True) -> QuerySet[Station]:
    """The stations that put cadres on duty on some night of ``since..until``."""
    qs = Station.objects.filter(duty_stations_q(since=since, until=until, in_post=in_post))
    if village_ids is not None:
        qs = qs.filter(village_id__in=list(village_ids))
    if township_ids is not None:
        qs = qs.filter(village__township_id__in=list(township_ids))
    return qs


def stationed_cadres(*, village_id: int, since: date, until: date,
                     in_post: bool = True) -> QuerySet[Cadre]:
    """The cadres stationed in ``village_id`` on some night of ``since..until``."""
    ids = duty_stations(since=since, until=until, village_ids=[village_id],
                        in_post=in_post).values("cadre_id")
    return Cadre.objects.filter(pk__in=ids)


def on_duty_stays(*, since: date, until: date, village_ids: Iterable[int] | None = None):
    """The published stays of cadres on duty on the nights ``since..until`` (a queryset)."""
    on_leave = Exists(Leave.objects.filter(cadre_id=OuterRef("cadre_id"), status=Leave.Status.APPROVED,
                                           start__lte=OuterRef("night"), end__gte=OuterRef("night")))
    stationed = Exists(Station.objects.filter(in_force_on_q(OuterRef("night")),
                                              cadre_id=OuterRef("cadre_id")))
    qs = Stay.objects.filter(stationed, week__status=RosterWeek.Status.PUBLISHED, night__gte=since,
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
