"""County statistics for the charts: grade distribution, satisfaction by township and
violations by month. Built from the streamed rows plus one aggregate query, and cached
(``cached_county_statistics``): computing them reads the whole county's appraisal rows
(about 0.3 s for 929 cadres), and they change rarely.

The cache is keyed by year, scope and a version that any write to the appraisal's own
facts bumps at once (``appraisal.receivers``: findings, appeals, grades, 金口碑, ballots,
paper tallies, meetings, rules; stations and cadres). Facts written every night (visits,
household links, check-ins) reach the figures within ``APPRAISAL_STATS_CACHE_SECONDS``
(default 600); the page shows when its figures were computed and offers 重新统计."""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from residency import soft_cache as cache
from residency.access.scoping import Scope

from .. import grading
from ..models import Grade, Violation, standing_q
from .appraisals import iter_appraisal_rows


def county_statistics(*, scope: Scope, year: int) -> dict:
    proposed: Counter = Counter()
    final: Counter = Counter()
    sums: dict[str, list] = defaultdict(lambda: [Decimal(0), 0])
    cadres = golden = 0
    for row in iter_appraisal_rows(scope=scope, year=year):
        cadres += 1
        golden += row.golden
        proposed[row.proposed_grade] += 1
        if row.final_grade:
            final[row.final_grade] += 1
        if row.satisfaction is not None:
            sums[row.township][0] += row.satisfaction
            sums[row.township][1] += 1
    months = dict(scope.filter(Violation.objects.filter(standing_q(), occurred_on__year=year))
                  .annotate(month=ExtractMonth("occurred_on")).values("month")
                  .annotate(n=Count("id")).values_list("month", "n"))
    grades = list(grading.GRADE_LABELS)
    return {
        "cadres": cadres,
        "golden": golden,
        "grade_labels": [str(Grade(g).label) for g in grades],
        "proposed": [proposed[g] for g in grades],
        "final": [final[g] for g in grades],
        "townships": list(sums),
        "township_satisfaction": [float((s / n).quantize(Decimal("0.1"))) for s, n in sums.values()],
        "months": list(range(1, 13)),
        "violations_by_month": [months.get(m, 0) for m in range(1, 13)],
    }


VERSION_KEY = "appraisal:stats-version"


def bump_stats_version() -> None:
    """Invalidate every cached statistics (called when an appraisal fact is written)."""
    cache.new_version(VERSION_KEY)


def stats_cache_seconds() -> int:
    return int(getattr(settings, "APPRAISAL_STATS_CACHE_SECONDS", 600))


def _scope_key(scope: Scope) -> str:
    ids = lambda values: ",".join(str(v) for v in sorted(values))  # noqa: E731
    return (f"{scope.level}:{scope.cadre_id or ''}:{ids(scope.village_ids)}:{ids(scope.township_ids)}:"
            f"{ids(scope.county_ids)}")


def cached_county_statistics(*, scope: Scope, year: int, refresh: bool = False) -> tuple[dict, object]:
    """``(statistics, computed at)``: from the cache when fresh, else computed and stored."""
    version = cache.version(VERSION_KEY)  # None: cache down, nothing kept
    key = f"appraisal:county-stats:{version}:{year}:{_scope_key(scope)}"
    found = None if refresh or version is None else cache.get(key)
    if found is None:
        found = (county_statistics(scope=scope, year=year), timezone.now())
        if version is not None:
            cache.set(key, found, timeout=stats_cache_seconds())
    return found
