"""The only place appraisal reads the other apps, through their contract selectors:
``residency.roster_selectors`` (nights, missed check-ins, absent spot checks, weeks below
the minimum) and ``nightlog.selectors.cadre_year_stats`` (visits, must-visit coverage,
problems). Until a dependency is installed, a conservative stand-in answers (and says so
in the log) so the appraisal keeps working with what exists.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

logger = logging.getLogger(__name__)

NIGHTLOG_KEYS = ("visits", "linked_households", "must_visit_households", "must_visit_visited",
                 "problems_raised", "problems_resolved")


def _roster():
    try:
        from residency import roster_selectors
    except ImportError:  # the roster helper's module is not there yet
        logger.warning("residency.roster_selectors missing: using the appraisal stand-in")
        return None
    return roster_selectors


def cadre_nights(*, cadre_ids: list[int], year: int, until: date) -> dict[int, tuple[int, int]]:
    module = _roster()
    if module is not None and hasattr(module, "cadre_nights"):
        return module.cadre_nights(cadre_ids=cadre_ids, year=year, until=until)
    from residency.models import RosterWeek, Stay

    rows = (Stay.objects.filter(cadre_id__in=cadre_ids, night__year=year, night__lte=until,
                                week__status=RosterWeek.Status.PUBLISHED)
            .values("cadre_id")
            .annotate(required=Count("id"), stayed=Count("id", filter=Q(checked_in_at__isnull=False))))
    result = {cid: (0, 0) for cid in cadre_ids}
    result.update({r["cadre_id"]: (r["required"], r["stayed"]) for r in rows})
    return result


def missed_checkins(*, since: date, until: date) -> QuerySet:
    module = _roster()
    if module is not None and hasattr(module, "missed_checkins"):
        return module.missed_checkins(since=since, until=until)
    from django.utils import timezone

    from residency.models import RosterWeek, Stay

    # Stand-in: the window has closed once the night is over (the morning after).
    last_closed = min(until, timezone.localdate() - timedelta(days=1))
    return Stay.objects.filter(night__gte=since, night__lte=last_closed, checked_in_at__isnull=True,
                               week__status=RosterWeek.Status.PUBLISHED)


def absent_spot_checks(*, since: date, until: date) -> QuerySet:
    module = _roster()
    if module is not None and hasattr(module, "absent_spot_checks"):
        return module.absent_spot_checks(since=since, until=until)
    from residency.models import SpotCheck

    return SpotCheck.objects.filter(present=False, night__gte=since, night__lte=until)


def weeks_below_minimum(*, since: date, until: date) -> list[tuple[int, date]]:
    module = _roster()
    if module is not None and hasattr(module, "weeks_below_minimum"):
        return list(module.weeks_below_minimum(since=since, until=until))
    return []


def cadre_year_stats(*, cadre_ids: list[int], year: int) -> dict[int, dict]:
    try:
        from nightlog.selectors import cadre_year_stats as real
    except ImportError:
        logger.warning("nightlog.selectors.cadre_year_stats missing: zeros for night-log figures")
        return {cid: dict.fromkeys(NIGHTLOG_KEYS, 0) for cid in cadre_ids}
    stats = real(cadre_ids=cadre_ids, year=year)
    return {cid: {k: int(stats.get(cid, {}).get(k, 0)) for k in NIGHTLOG_KEYS} for cid in cadre_ids}
