"""Figures per cadre and year for the appraisal (contract with the appraisal app)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from ..models import LinkedHousehold, Problem, Visit
from .common import period_range

DONE = [Problem.Status.RESOLVED, Problem.Status.CONFIRMED]


def cadre_year_stats(*, cadre_ids: list[int], year: int) -> dict[int, dict]:
    """For each cadre id: ``visits`` in the year (``late_visits`` of them written as 补记,
    counted all the same); ``linked_households`` tied at any time in
    the year; ``must_visit_households`` of those in a must-visit category and
    ``must_visit_visited`` of those visited by the cadre in the year; ``problems_raised``
    in the year and ``problems_resolved`` (raised by the cadre, resolved in the year).
    Three queries, whatever the number of cadres."""
    ids = list(cadre_ids)
    start, stop = period_range(date(year, 1, 1), date(year, 12, 31))
    stats = {cid: {"visits": 0, "late_visits": 0, "linked_households": 0, "must_visit_households": 0,
                   "must_visit_visited": 0, "problems_raised": 0, "problems_resolved": 0}
             for cid in ids}
    if not ids:
        return stats
    visited: dict[int, set[int]] = defaultdict(set)
    for row in (Visit.objects.filter(cadre_id__in=ids, visited_at__gte=start, visited_at__lt=stop)
                .values("cadre_id", "household_id")
                .annotate(n=Count("id"), late=Count("id", filter=Q(late_entry=True))).order_by()):
        stats[row["cadre_id"]]["visits"] += row["n"]
        stats[row["cadre_id"]]["late_visits"] += row["late"]
        visited[row["cadre_id"]].add(row["household_id"])
    seen: set[tuple[int, int]] = set()
    links = (LinkedHousehold.objects.filter(cadre_id__in=ids, since__lte=date(year, 12, 31))
             .filter(Q(until__isnull=True) | Q(until__gte=date(year, 1, 1)))
             .annotate(must_visit=ExpressionWrapper(~Q(household__categories=""),
                                                    output_field=BooleanField()))
             .order_by().values_list("cadre_id", "household_id", "must_visit"))
    for cadre_id, household_id, categories in links:
        if (cadre_id, household_id) in seen:
            continue
        seen.add((cadre_id, household_id))
        stats[cadre_id]["linked_households"] += 1
        if categories:
            stats[cadre_id]["must_visit_households"] += 1
            if household_id in visited[cadre_id]:
                stats[cadre_id]["must_visit_visited"] += 1
    in_year = Q(created_at__gte=start, created_at__lt=stop)
    resolved = Q(status__in=DONE, resolved_at__gte=start, resolved_at__lt=stop)
    for row in (Problem.objects.filter(raised_by_id__in=ids).filter(in_year | resolved)
                .values("raised_by_id")
                .annotate(raised=Count("id", filter=in_year), done=Count("id", filter=resolved))
                .order_by()):
        stats[row["raised_by_id"]]["problems_raised"] = row["raised"]
        stats[row["raised_by_id"]]["problems_resolved"] = row["done"]
    return stats
