"""Reads of the night roster: the contract selectors that appraisal reads (candidate
violations) and the cadre's own nights. Grids and dashboards: ``roster_dashboards``.

Contract (BRIEF.md), each a constant number of queries:

- ``cadre_nights(*, cadre_ids, year, until) -> {cadre_id: (nights_required, nights_stayed)}``
- ``missed_checkins(*, since, until) -> QuerySet[Stay]``
- ``absent_spot_checks(*, since, until) -> QuerySet[SpotCheck]``
- ``weeks_below_minimum(*, since, until) -> list[(cadre_id, week_start)]``
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import workdays
from .models import Leave, RosterWeek, SpotCheck, Station, Stay, Swap, WorkdayOverride
from .services_roster.checkin import current_night, window, window_closes_at

PUBLISHED = RosterWeek.Status.PUBLISHED


def _approved_leave_on_the_night():
    """A stay whose night the cadre turned out to be on approved leave (sick leave approved
    the next day): R1 plans nobody on leave, so it neither counts nor is missed."""
    return Exists(Leave.objects.filter(cadre_id=OuterRef("cadre_id"), status=Leave.Status.APPROVED,
                                       start__lte=OuterRef("night"), end__gte=OuterRef("night")))


def cadre_nights(*, cadre_ids: list[int], year: int, until: date) -> dict[int, tuple[int, int]]:
    """(nights_required, nights_stayed) per cadre: required = stays in published weeks on
    nights of ``year`` up to ``until``, less nights later covered by approved leave without
    a check-in; stayed = those with a check-in. One query."""
    out = {cid: (0, 0) for cid in cadre_ids}
    end = min(until, date(year, 12, 31))
    rows = (Stay.objects.filter(cadre_id__in=list(cadre_ids), week__status=PUBLISHED,
                                night__gte=date(year, 1, 1), night__lte=end)
            .exclude(Q(checked_in_at__isnull=True) & Q(_approved_leave_on_the_night()))
            .values("cadre_id")
            .annotate(required=Count("pk"), stayed=Count("pk", filter=Q(checked_in_at__isnull=False))))
    for row in rows:
        out[row["cadre_id"]] = (row["required"], row["stayed"])
    return out


def last_closed_night(now=None) -> date:
    """The latest night whose check-in window has closed by ``now``."""
    now = now or timezone.now()
    night = timezone.localtime(now).date()
    while window_closes_at(night) > now:
        night -= timedelta(days=1)
    return night


def last_begun_night(now=None) -> date:
    """The latest night that has begun by ``now`` (its check-in window has opened): today
    from the window's start (17:00), else yesterday. Counts of nights stop here, so a
    night still to come is never counted as required."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start = window()[0]
    return local.date() if local.time() >= start else local.date() - timedelta(days=1)


def missed_checkins(*, since: date, until: date, now=None) -> QuerySet[Stay]:
    """Published stays on nights ``since..until`` whose check-in window has closed with
    no check-in: candidate violations. A night the cadre turns out to have been on approved
    leave (sick leave approved the next day) is not one: R1 plans nobody on leave."""
    last = min(until, last_closed_night(now))
    return (Stay.objects.filter(week__status=PUBLISHED, night__gte=since, night__lte=last,
                                checked_in_at__isnull=True)
            .exclude(_approved_leave_on_the_night())
            .select_related("cadre", "village__township").order_by("night", "pk"))


def absent_spot_checks(*, since: date, until: date) -> QuerySet[SpotCheck]:
    """Spot checks on nights ``since..until`` that found the expected cadre absent."""
    return (SpotCheck.objects.filter(present=False, night__gte=since, night__lte=until)
            .select_related("expected_cadre", "village__township", "inspector").order_by("night", "pk"))


def weeks_below_minimum(*, since: date, until: date, now=None) -> list[tuple[int, date]]:
    """(cadre_id, week_start) for published weeks starting in ``since..until`` (and whose
    last check-in window has closed) in which a cadre stationed in the township needed a
    stay (not all the week's workdays on leave) and checked in on no night. Five queries."""
    first = since - timedelta(days=since.weekday())
    last_night = last_closed_night(now)
    weeks = [w for w in RosterWeek.objects.filter(status=PUBLISHED, week_start__gte=first,
                                                  week_start__lte=until)
             .values("township_id", "week_start", "township__county_id")
             if w["week_start"] + timedelta(days=6) <= last_night]
    if not weeks:
        return []
    lo = min(w["week_start"] for w in weeks)
    hi = max(w["week_start"] for w in weeks) + timedelta(days=6)
    township_ids = {w["township_id"] for w in weeks}
    overrides: dict[int, dict[date, bool]] = defaultdict(dict)
    for county_id, day, flag in WorkdayOverride.objects.filter(
            county_id__in={w["township__county_id"] for w in weeks},
            date__range=(lo, hi + timedelta(days=1))).values_list("county_id", "date", "is_workday"):
        overrides[county_id][day] = flag
    stations = defaultdict(list)  # township -> [(cadre, start, end)]
    for cid, tid, start, end in Station.objects.filter(
            village__township_id__in=township_ids, start__lte=hi).filter(
            Q(end__isnull=True) | Q(end__gte=lo)).values_list(
            "cadre_id", "village__township_id", "start", "end"):
        stations[tid].append((cid, start, end))
    cadre_ids = {c for rows in stations.values() for c, _s, _e in rows}
    leave = defaultdict(list)
    for cid, s, e in Leave.objects.filter(cadre_id__in=cadre_ids, status=Leave.Status.APPROVED,
                                          start__lte=hi, end__gte=lo).values_list("cadre_id", "start", "end"):
        leave[cid].append((s, e))
    checked = {(cid, night - timedelta(days=night.weekday())) for cid, night in Stay.objects.filter(
        cadre_id__in=cadre_ids, night__range=(lo, hi), checked_in_at__isnull=False,
        week__status=PUBLISHED).values_list("cadre_id", "night")}
    out = []
    for w in sorted(weeks, key=lambda w: (w["week_start"], w["township_id"])):
        monday = w["week_start"]
        nights = [monday + timedelta(days=i) for i in range(7)]
        nights = [n for n in nights if workdays.is_workday(n, overrides[w["township__county_id"]])]
        if not nights:
            continue
        for cid, start, end in stations[w["township_id"]]:
            if start > nights[-1] or (end is not None and end < nights[0]):
                continue
            free = [n for n in nights if not any(s <= n <= e for s, e in leave[cid])]
            if free and (cid, monday) not in checked:
                out.append((cid, monday))
    return sorted(set(out), key=lambda x: (x[1], x[0]))


# --- The cadre's own nights ---------------------------------------------------------


def cadre_published_stays(*, cadre_id: int, since: date) -> QuerySet[Stay]:
    """A cadre's stays in published weeks from ``since`` on (drafts are never shown)."""
    return (Stay.objects.filter(cadre_id=cadre_id, week__status=PUBLISHED, night__gte=since)
            .select_related("village").order_by("night"))


def tonight_stay(*, cadre_id: int, now=None) -> Stay | None:
    """The published stay of the night the cadre's phone should show (after midnight and
    inside the window: the previous night's)."""
    night = current_night(now)
    return (Stay.objects.filter(cadre_id=cadre_id, night=night, week__status=PUBLISHED)
            .select_related("village").first())


def cadre_leaves(*, cadre_id: int) -> QuerySet[Leave]:
    return Leave.objects.filter(cadre_id=cadre_id).select_related("decided_by").order_by("-start")


def cadre_swaps(*, cadre_id: int) -> QuerySet[Swap]:
    return (Swap.objects.filter(Q(requested_by_id=cadre_id) | Q(colleague_id=cadre_id))
            .select_related("stay__village", "colleague", "requested_by", "colleague_stay__village")
            .order_by("-requested_at"))


def pending_leaves(*, scope) -> QuerySet[Leave]:
    return scope.filter(Leave.objects.filter(status=Leave.Status.PENDING)
                        .select_related("cadre").order_by("start"))


def pending_swaps(*, scope) -> QuerySet[Swap]:
    return scope.filter(Swap.objects.filter(status=Swap.Status.PENDING)
                        .select_related("stay__village", "requested_by", "colleague",
                                        "colleague_stay__village").order_by("stay__night"))


def leave_list(*, scope, status: str = "") -> QuerySet[Leave]:
    qs = Leave.objects.select_related("cadre", "decided_by").order_by("-requested_at")
    if status:
        qs = qs.filter(status=status)
    return scope.filter(qs)


def swap_list(*, scope, status: str = "") -> QuerySet[Swap]:
    qs = Swap.objects.select_related("stay__village", "requested_by", "colleague",
                                     "colleague_stay__village").order_by("-requested_at")
    if status:
        qs = qs.filter(status=status)
    return scope.filter(qs)


def spot_check_list(*, scope) -> QuerySet[SpotCheck]:
    return scope.filter(SpotCheck.objects.select_related("village", "expected_cadre", "inspector")
                        .order_by("-at"))
