"""Roster gaps: weeks in which the published roster gave an active cadre fewer nights than
the minimum (rule R1: 1 to 2 nights a week) although he was stationed in the township on a
workday of the week not covered by approved leave. The township admin's to fix (the
roster's gap), never a cadre's violation."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from residency.models import Leave, RosterWeek, Stay, WorkdayOverride
from residency.nights import workdays
from residency.roster import duty

MIN_NIGHTS_PER_WEEK = 1


@dataclass(frozen=True)
class RosterGap:
    cadre_id: int
    cadre_name: str
    township_id: int
    week_start: date
    nights: int  # nights the roster gave him that week


def roster_gaps(*, since: date, until: date,
                township_ids: Iterable[int] | None = None) -> list[RosterGap]:
    """Gaps in published weeks starting in ``since..until`` (Mondays), in week order.
    Six queries, whatever the number of weeks and cadres."""
    first = since - timedelta(days=since.weekday())
    weeks = RosterWeek.objects.filter(status=RosterWeek.Status.PUBLISHED, week_start__gte=first,
                                      week_start__lte=until)
    if township_ids is not None:
        weeks = weeks.filter(township_id__in=list(township_ids))
    weeks = list(weeks.values("township_id", "week_start", "township__county_id"))
    if not weeks:
        return []
    lo = min(w["week_start"] for w in weeks)
    hi = max(w["week_start"] for w in weeks) + timedelta(days=6)
    overrides: dict[int, dict[date, bool]] = defaultdict(dict)
    for county_id, day, flag in WorkdayOverride.objects.filter(
            county_id__in={w["township__county_id"] for w in weeks},
            date__range=(lo, hi)).values_list("county_id", "date", "is_workday"):
        overrides[county_id][day] = flag
    stations = defaultdict(list)  # township -> [(cadre, name, start, end)]
    for cid, name, tid, start, end in duty.duty_stations(
            since=lo, until=hi, township_ids={w["township_id"] for w in weeks}).values_list(
            "cadre_id", "cadre__name", "village__township_id", "start", "end"):
        stations[tid].append((cid, name, start, end))
    cadre_ids = {row[0] for rows in stations.values() for row in rows}
    leave = defaultdict(list)
    for cid, s, e in Leave.objects.filter(cadre_id__in=cadre_ids, status=Leave.Status.APPROVED,
                                          start__lte=hi, end__gte=lo).values_list("cadre_id", "start", "end"):
        leave[cid].append((s, e))
    given: dict[tuple[int, date], int] = defaultdict(int)
    for cid, night in Stay.objects.filter(cadre_id__in=cadre_ids, night__range=(lo, hi),
                                          week__status=RosterWeek.Status.PUBLISHED) \
            .values_list("cadre_id", "night"):
        given[(cid, night - timedelta(days=night.weekday()))] += 1
    out: list[RosterGap] = []
    for w in sorted(weeks, key=lambda w: (w["week_start"], w["township_id"])):
        monday = w["week_start"]
        nights = [monday + timedelta(days=i) for i in range(7)]
        nights = [n for n in nights if workdays.is_workday(n, overrides[w["township__county_id"]])]
        for cid, name, start, end in stations[w["township_id"]]:
            due = [n for n in nights if duty.covers(start, end, n)
                   and not any(s <= n <= e for s, e in leave[cid])]
            if due and given[(cid, monday)] < MIN_NIGHTS_PER_WEEK:
                out.append(RosterGap(cid, name, w["township_id"], monday, given[(cid, monday)]))
    return out

