"""Must-visit (五必访) coverage of the cadre's own village, for the appraisal's 优秀 test."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from residency.models import Station

from ..models import Household, LinkedHousehold, Visit
from .common import period_range


def must_visit_coverage(*, cadre_ids: list[int], year: int) -> dict[int, tuple[int, int, int]]:
    """Per cadre: (``linked``, ``visited``, ``village_total``) where ``village_total`` is the
    number of must-visit households of the cadre's village (his latest station of the
    year), ``linked`` those of them he was linked to at some time in the year and
    ``visited`` those of them he visited in the year. Four queries, any number of cadres."""
    ids = list(cadre_ids)
    out = dict.fromkeys(ids, (0, 0, 0))
    if not ids:
        return out
    first, last = date(year, 1, 1), date(year, 12, 31)
    village: dict[int, int] = {}
    for cadre_id, village_id in (Station.objects.filter(cadre_id__in=ids, start__lte=last)
                                 .filter(Q(end__isnull=True) | Q(end__gte=first))
                                 .order_by("start", "pk").values_list("cadre_id", "village_id")):
        village[cadre_id] = village_id  # the latest station of the year wins
    if not village:
        return out
    totals = dict(Household.objects.filter(village_id__in=set(village.values()))
                  .exclude(categories="").values("village_id").annotate(n=Count("id"))
                  .order_by().values_list("village_id", "n"))
    linked: dict[int, set[int]] = {cid: set() for cid in ids}
    for cadre_id, household_id, village_id in (
            LinkedHousehold.objects.filter(cadre_id__in=list(village), since__lte=last,
                                           household__village_id__in=set(village.values()))
            .filter(Q(until__isnull=True) | Q(until__gte=first)).exclude(household__categories="")
            .values_list("cadre_id", "household_id", "household__village_id")):
        if village[cadre_id] == village_id:
            linked[cadre_id].add(household_id)
    start, stop = period_range(first, last)
    visited: dict[int, set[int]] = {cid: set() for cid in ids}
    all_linked = set().union(*linked.values())
    if all_linked:
        for cadre_id, household_id in (Visit.objects.filter(
                cadre_id__in=list(village), household_id__in=all_linked, visited_at__gte=start,
                visited_at__lt=stop).order_by().values_list("cadre_id", "household_id")
                .distinct()):
            if household_id in linked[cadre_id]:
                visited[cadre_id].add(household_id)
    for cadre_id, village_id in village.items():
        out[cadre_id] = (len(linked[cadre_id]), len(visited[cadre_id]), totals.get(village_id, 0))
    return out
