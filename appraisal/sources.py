"""The only place appraisal reads the other apps, through their contract selectors (BRIEF):
``residency.roster_selectors`` (nights, missed check-ins, absent spot checks, weeks below
the minimum) and ``nightlog.selectors.cadre_year_stats`` (visits, must-visit coverage,
problems). Each is a constant number of queries for any number of cadres."""
from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from nightlog import selectors as nightlog_selectors
from residency import roster_selectors

NIGHTLOG_KEYS = ("visits", "late_visits", "linked_households", "must_visit_households", "must_visit_visited",
                 "problems_raised", "problems_resolved")


def cadre_nights(*, cadre_ids: list[int], year: int, until: date) -> dict[int, tuple[int, int]]:
    """(nights_required, nights_stayed) per cadre."""
    return roster_selectors.cadre_nights(cadre_ids=cadre_ids, year=year, until=until)


def missed_checkins(*, since: date, until: date) -> QuerySet:
    return roster_selectors.missed_checkins(since=since, until=until)


def absent_spot_checks(*, since: date, until: date) -> QuerySet:
    return roster_selectors.absent_spot_checks(since=since, until=until)


def weeks_below_minimum(*, since: date, until: date) -> list[tuple[int, date]]:
    return list(roster_selectors.weeks_below_minimum(since=since, until=until))


def cadre_year_stats(*, cadre_ids: list[int], year: int) -> dict[int, dict]:
    """The night-log figures per cadre, every key present (0 when the cadre has none)."""
    stats = nightlog_selectors.cadre_year_stats(cadre_ids=cadre_ids, year=year)
    return {cid: {k: int(stats.get(cid, {}).get(k, 0)) for k in NIGHTLOG_KEYS} for cid in cadre_ids}
