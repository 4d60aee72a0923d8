"""The only place appraisal reads the other apps, through their contract selectors (BRIEF):
``residency.roster.selectors`` (nights, missed check-ins, absent spot checks),
``residency.roster.duty`` (who is on duty in village V on night N), ``residency.roster.gaps``
and ``nightlog.selectors`` (visits, must-visit coverage, problems). Each is a constant
number of queries for any number of cadres."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from nightlog import selectors as nightlog_selectors
from residency.models import Cadre, Leave, RosterWeek, SpotCheck, Station, Stay, Swap
from residency.roster import duty, gaps
from residency.roster import selectors as roster_selectors

from . import incidents

NIGHTLOG_KEYS = ("visits", "late_visits", "linked_households", "must_visit_households", "must_visit_visited",
                 "problems_raised", "problems_resolved")


def cadre_nights(*, cadre_ids: list[int], year: int, until: date) -> dict[int, tuple[int, int]]:
    """(nights_required, nights_stayed) per cadre."""
    return roster_selectors.cadre_nights(cadre_ids=cadre_ids, year=year, until=until)


def missed_checkins(*, since: date, until: date) -> QuerySet:
    return roster_selectors.missed_checkins(since=since, until=until)


def absent_spot_checks(*, since: date, until: date) -> QuerySet:
    return roster_selectors.absent_spot_checks(since=since, until=until)


def far_checkins(*, since: date, until: date) -> QuerySet:
    """Published stays checked in farther than the radius from the village office."""
    return (Stay.objects.filter(week__status=RosterWeek.Status.PUBLISHED, night__gte=since,
                                night__lte=until)
            .filter(checkin_far=True)
            .order_by("night", "pk"))


SPOT_FIELDS = ("pk", "expected_cadre_id", "night", "village_id", "at", "note", "inspector__official__name",
               "inspector__username")


def _spot_signal(pk, cadre_id, night, village_id, at, note, inspector, username) -> incidents.Signal:
    text = f"{timezone.localtime(at):%H:%M} {inspector or username}" + (
        f":{' '.join(note.split())}" if note.strip() else "")
    return incidents.Signal(cadre_id, night, incidents.SPOT_CHECK_ABSENT, pk, village_id, text[:200])


def night_signals(*, since: date, until: date) -> list[incidents.Signal]:
    """Every signal pointing at a night ``since..until`` (three queries)."""
    out = [incidents.Signal(cadre_id, night, incidents.MISSED_CHECKIN, pk, village_id, "")
           for pk, cadre_id, night, village_id in missed_checkins(since=since, until=until)
           .values_list("pk", "cadre_id", "night", "village_id")]
    out += [_spot_signal(*row) for row in absent_spot_checks(since=since, until=until)
            .values_list(*SPOT_FIELDS)]
    out += [incidents.Signal(cadre_id, night, incidents.FAR_CHECKIN, pk, village_id, "")
            for pk, cadre_id, night, village_id in far_checkins(since=since, until=until)
            .values_list("pk", "cadre_id", "night", "village_id")]
    return out


def spot_check_signals(*, spot_check_id: int) -> list[incidents.Signal]:
    return [_spot_signal(*row) for row in SpotCheck.objects.filter(pk=spot_check_id, present=False)
            .values_list(*SPOT_FIELDS)]


def incident_context(*, signals: list[incidents.Signal]) -> incidents.Context:
    """What the builder needs about the signals' cadres and nights (five queries)."""
    if not signals:
        return incidents.Context()
    ids = {s.cadre_id for s in signals}
    lo, hi = min(s.night for s in signals), max(s.night for s in signals)
    active = frozenset(Cadre.objects.filter(pk__in=ids, active=True).values_list("pk", flat=True))
    stations = defaultdict(list)
    for cid, start, end in Station.objects.filter(cadre_id__in=ids, start__lte=hi).filter(
            Q(end__isnull=True) | Q(end__gte=lo)).values_list("cadre_id", "start", "end"):
        stations[cid].append(incidents.Period(start, end))
    leave = defaultdict(list)
    for cid, start, end in Leave.objects.filter(cadre_id__in=ids, status=Leave.Status.APPROVED,
                                                start__lte=hi, end__gte=lo) \
            .values_list("cadre_id", "start", "end"):
        leave[cid].append(incidents.Period(start, end))
    on_duty = duty.duty_map(since=lo, until=hi, village_ids={s.village_id for s in signals})
    holding = {(cid, night) for (_v, night), cids in on_duty.items() for cid in cids}
    given = set()
    for requester, night, colleague, other_night in Swap.objects.filter(
            status=Swap.Status.APPROVED).filter(
            Q(requested_by_id__in=ids, stay__night__range=(lo, hi))
            | Q(colleague_id__in=ids, colleague_stay__night__range=(lo, hi))).values_list(
            "requested_by_id", "stay__night", "colleague_id", "colleague_stay__night"):
        given.add((requester, night))
        if other_night is not None:
            given.add((colleague, other_night))
    return incidents.Context(
        active=active, stations={k: tuple(v) for k, v in stations.items()},
        leave={k: tuple(v) for k, v in leave.items()},
        swapped_away=frozenset(given - holding), on_duty=on_duty)


def roster_gaps(*, since: date, until: date, township_ids=None) -> list[gaps.RosterGap]:
    return gaps.roster_gaps(since=since, until=until, township_ids=township_ids)


def recent_roster_gaps(*, township_ids, weeks: int = 8) -> list[gaps.RosterGap]:
    today = timezone.localdate()
    return roster_gaps(since=today - timedelta(weeks=weeks), until=today, township_ids=township_ids)


def cadre_year_stats(*, cadre_ids: list[int], year: int) -> dict[int, dict]:
    """The night-log figures per cadre, every key present (0 when the cadre has none).
    The must-visit figures are those of the cadre's own village (``must_visit_coverage``),
    with ``village_must_visit_households`` its total."""
    stats = nightlog_selectors.cadre_year_stats(cadre_ids=cadre_ids, year=year)
    coverage = nightlog_selectors.must_visit_coverage(cadre_ids=cadre_ids, year=year)
    out = {}
    for cid in cadre_ids:
        row = {k: int(stats.get(cid, {}).get(k, 0)) for k in NIGHTLOG_KEYS}
        linked, visited, total = coverage.get(cid, (0, 0, 0))
        row.update(must_visit_households=linked, must_visit_visited=visited,
                   village_must_visit_households=total)
        out[cid] = row
    return out


# --- The evidence of one night (the decision page) -----------------------------------

CHECKIN_FIELDS = ("checkin_latitude", "checkin_longitude", "checkin_accuracy_m",
                  "checkin_distance_m", "checkin_far", "checkin_position_status",
                  "presence", "presence_reason", "presence_at")


def night_evidence(*, cadre_id: int, night: date) -> dict:
    """What the records say about one cadre's night: the stay (with who published the week
    and when), its check-in figures, the spot checks, the leave and swap requests touching
    the night and the visits recorded that night. Five queries."""
    from nightlog.models import Visit
    from nightlog.selectors.common import night_range

    stay = (Stay.objects.filter(cadre_id=cadre_id, night=night)
            .select_related("village__township", "week__published_by__official").first())
    checkin = None
    if stay is not None:
        checkin = {"at": stay.checked_in_at,
                   "position_label": stay.get_checkin_position_status_display(),
                   "presence_label": stay.get_presence_display(),
                   **{name: getattr(stay, name) for name in CHECKIN_FIELDS}}
    village_q = Q(village_id=stay.village_id) if stay is not None else Q(pk__in=[])
    spot_checks = list(SpotCheck.objects.filter(Q(expected_cadre_id=cadre_id) | village_q, night=night)
                       .select_related("inspector__official", "expected_cadre", "village")
                       .order_by("at"))
    leaves = list(Leave.objects.filter(cadre_id=cadre_id, start__lte=night, end__gte=night)
                  .select_related("decided_by__official").order_by("requested_at"))
    swaps = list(Swap.objects.filter(
        Q(stay__night=night) | Q(colleague_stay__night=night),
        Q(requested_by_id=cadre_id) | Q(colleague_id=cadre_id))
        .select_related("requested_by", "colleague", "stay__village", "decided_by__official")
        .order_by("requested_at"))
    start, stop = night_range(night, night)
    visits = list(Visit.objects.filter(cadre_id=cadre_id, visited_at__gte=start, visited_at__lt=stop)
                  .select_related("household").order_by("visited_at"))
    return {"stay": stay, "checkin": checkin, "spot_checks": spot_checks, "leaves": leaves,
            "swaps": swaps, "visits": visits}


def night_villages(*, pairs: set[tuple[int, date]]) -> dict[tuple[int, date], str]:
    """The village of each (cadre, night): the stay's, else the station's that night
    (two queries)."""
    if not pairs:
        return {}
    ids = {c for c, _n in pairs}
    lo, hi = min(n for _c, n in pairs), max(n for _c, n in pairs)
    out = {(cid, night): name for cid, night, name in Stay.objects.filter(
        cadre_id__in=ids, night__range=(lo, hi)).values_list("cadre_id", "night", "village__name")
        if (cid, night) in pairs}
    stations = defaultdict(list)
    for cid, start, end, name in Station.objects.filter(cadre_id__in=ids, start__lte=hi).filter(
            Q(end__isnull=True) | Q(end__gte=lo)).values_list("cadre_id", "start", "end", "village__name"):
        stations[cid].append((start, end, name))
    for cid, night in pairs:
        if (cid, night) not in out:
            for start, end, name in stations[cid]:
                if start <= night and (end is None or night <= end):
                    out[(cid, night)] = name
    return out
