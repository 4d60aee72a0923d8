"""The planning service: a thin layer around the pure planner (residency/roster/planner/__init__.py).

``roster_plan`` builds one township's ``PlanInput`` for one ISO week from the database,
runs the planner and writes its result atomically; ``roster_publish`` makes the week
visible to cadres."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit, events
from residency.bounded_input import check_roster_week
from residency.models import CadrePreference, RosterWeek, Stay, Township
from residency.roster import duty
from residency.roster import planner as pl
from residency.roster.services.calendar import WeekCalendar
from residency.roster.services.rules import leave_days, today_or


@dataclass
class PlanSummary:
    week: RosterWeek
    created: int = 0
    updated: int = 0
    deleted: int = 0
    gaps: list[dict] = field(default_factory=list)
    # Nights with more cadres than the village office's beds (only when rule R1 cannot be
    # kept otherwise), with the planner's Chinese reason.
    crowded: list[dict] = field(default_factory=list)
    changed_stay_ids: list[int] = field(default_factory=list)


def roster_week_get(*, township: Township, week_start: date, lock: bool = False) -> RosterWeek:
    """The township's RosterWeek for the week starting ``week_start`` (created if missing)."""
    if week_start.weekday() != 0:
        raise ValidationError(_("排班周必须从周一开始。"))
    check_roster_week(week_start)
    week, _created = RosterWeek.objects.get_or_create(township=township, week_start=week_start)
    if lock:
        week = RosterWeek.objects.select_for_update().select_related("township").get(pk=week.pk)
    else:
        week.township = township
    return week


def week_stations(*, township: Township, nights, monday: date, sunday: date
                  ) -> list[tuple[int, str, int, frozenset[date]]]:
    """(cadre_id, name, village_id, nights outside the station) for each active cadre of
    the township stationed in one of its villages during the week (``duty.duty_stations``,
    the rule every "who is on duty" reader shares). A cadre transferred within the week is
    planned in the station that covers more of its workday nights (ties: the later one);
    the other nights are off for the planner. One query."""
    best: dict[int, tuple] = {}
    for cid, name, vid, start, end in (
            duty.duty_stations(since=monday, until=sunday, township_ids=[township.pk])
            .filter(cadre__township=township).order_by("cadre_id", "start")
            .values_list("cadre_id", "cadre__name", "village_id", "start", "end")):
        covered = [n for n in nights if duty.covers(start, end, n)]
        if not covered and nights:
            continue
        if cid not in best or len(covered) >= len(best[cid][3]):
            best[cid] = (cid, name, vid, covered)
    return [(cid, name, vid, frozenset(n for n in nights if n not in covered))
            for cid, name, vid, covered in best.values()]


def build_plan_input(*, week: RosterWeek, today: date, keep_existing: bool = False):
    """The planner's input for ``week`` (a constant number of queries)."""
    township = week.township
    monday = week.week_start
    sunday = monday + timedelta(days=6)
    year_start = date(monday.year, 1, 1)
    cal = WeekCalendar(county_id=township.county_id, start=year_start, end=sunday + timedelta(days=1))
    nights = cal.workday_nights(monday)
    heavy = frozenset(n for n in nights if cal.is_heavy(n))
    villages = list(township.villages.order_by("code").values_list("pk", "name", "beds"))
    # Stations in force during the week, not merely open ones: a station starting later
    # takes effect on its start date, and one that ended stops on its end date. Nights
    # outside the station's period are unavailable to the cadre, like leave.
    stations = week_stations(township=township, nights=nights, monday=monday, sunday=sunday)
    cadre_ids = [c for c, _n, _v, _off in stations]
    leave = leave_days(cadre_ids=cadre_ids, start=monday, end=sunday)
    for cid, _name, _vid, off in stations:
        if off:
            leave.setdefault(cid, set()).update(off)
    prefs = {p.cadre_id: p for p in CadrePreference.objects.filter(cadre_id__in=cadre_ids)}
    heavy_count: dict[int, int] = {}
    for cid, night in (Stay.objects.filter(cadre_id__in=cadre_ids, night__gte=year_start,
                                           night__lt=monday).values_list("cadre_id", "night")):
        if cal.is_heavy(night):
            heavy_count[cid] = heavy_count.get(cid, 0) + 1
    cadres = []
    for cid, name, vid, _off in stations:
        p = prefs.get(cid)
        cadres.append(pl.Cadre(
            id=cid, name=name, village_id=vid, leave=frozenset(leave.get(cid, ())),
            preferred_weekdays=frozenset(p.preferred_weekdays) if p else frozenset(),
            avoided_weekdays=frozenset(p.avoided_weekdays) if p else frozenset(),
            heavy_count=heavy_count.get(cid, 0)))
    known = set(cadre_ids)
    existing = [s for s in Stay.objects.filter(week=week) if s.cadre_id in known]
    fixed, previous = [], []
    for s in existing:
        value = pl.Stay(s.cadre_id, s.village_id, s.night, borrowed=s.borrowed, pinned=s.pinned)
        if keep_existing or s.pinned or s.night < today or s.checked_in_at is not None:
            fixed.append(value)
        elif week.status == RosterWeek.Status.PUBLISHED:
            previous.append(value)
    boundary = frozenset(Stay.objects.filter(
        cadre_id__in=cadre_ids, night__in=[monday - timedelta(days=1), sunday + timedelta(days=1)])
        .values_list("cadre_id", "night"))
    inp = pl.PlanInput(nights=nights, heavy_nights=heavy,
                       villages=[pl.Village(v, n, b) for v, n, b in villages], cadres=cadres,
                       fixed=fixed, previous=previous, boundary_nights=boundary,
                       frozen_before=today)
    return inp, existing


@transaction.atomic
def roster_plan(*, township: Township, week_start: date, by=None, today: date | None = None,
                keep_existing: bool = False) -> PlanSummary:
    """Plan (or re-plan) one township's week and write it.

    Pinned stays, stays on past nights and checked-in stays never change. Re-planning a
    published week changes as few future stays as the planner can (and announces the
    changes). ``keep_existing`` keeps every current stay and only fills the gaps (used
    after leave is approved over planned stays). Uncovered nights are stored on
    ``RosterWeek.gaps`` with the reason in Chinese; nights over the village office's beds
    (only when rule R1 leaves no other way) are returned in ``crowded`` with the reason.
    """
    today = today_or(today)
    week = roster_week_get(township=township, week_start=week_start, lock=True)
    inp, existing = build_plan_input(week=week, today=today, keep_existing=keep_existing)
    result = pl.plan(inp)
    by_key = {(s.cadre_id, s.night): s for s in existing}
    wanted = {(s.cadre_id, s.night): s for s in result.stays}
    summary = PlanSummary(week=week)
    to_delete = [s.pk for k, s in by_key.items() if k not in wanted]
    to_update, to_create = [], []
    for key, p in wanted.items():
        current = by_key.get(key)
        if current is None:
            to_create.append(Stay(cadre_id=p.cadre_id, village_id=p.village_id, night=p.night,
                                  week=week, borrowed=p.borrowed, pinned=p.pinned))
        elif current.village_id != p.village_id or current.borrowed != p.borrowed:
            current.village_id, current.borrowed = p.village_id, p.borrowed
            to_update.append(current)
    try:
        with transaction.atomic():
            Stay.objects.filter(pk__in=to_delete).delete()
            Stay.objects.bulk_update(to_update, ["village", "borrowed"])
            created = Stay.objects.bulk_create(to_create)
    except IntegrityError as exc:
        raise ValidationError(_("排班与其他住夜安排冲突 (可能有人同时修改), 请刷新后重试。")) from exc
    names = {v.id: v.name for v in inp.villages}
    summary.gaps = [{"village_id": g.village_id, "village": names.get(g.village_id, ""),
                     "night": g.night.isoformat(), "reason": g.reason} for g in result.gaps]
    summary.crowded = [{"village_id": c.village_id, "village": names.get(c.village_id, ""),
                        "night": c.night.isoformat(), "cadres": c.cadres, "beds": c.beds,
                        "reason": c.reason} for c in result.crowded]
    summary.created, summary.updated, summary.deleted = len(to_create), len(to_update), len(to_delete)
    week.gaps = summary.gaps
    week.planned_at = timezone.now()
    week.save(update_fields=["gaps", "planned_at"])
    changed_ids = [s.pk for s in created if s.pk] + [s.pk for s in to_update]
    summary.changed_stay_ids = changed_ids
    audit.record("roster_plan", obj=week, user=by, created=summary.created,
                 updated=summary.updated, deleted=summary.deleted, gaps=len(summary.gaps),
                 crowded=len(summary.crowded))
    if week.status == RosterWeek.Status.PUBLISHED and (changed_ids or to_delete):
        cadre_ids = sorted({by_key[k].cadre_id for k in by_key if k not in wanted}
                           | {s.cadre_id for s in to_create} | {s.cadre_id for s in to_update})
        ids = changed_ids + to_delete
        transaction.on_commit(lambda: events.stays_changed.send(
            sender=Stay, stay_ids=ids, cadre_ids=cadre_ids))
    return summary


@transaction.atomic
def roster_publish(*, week: RosterWeek, by=None) -> RosterWeek:
    """Publish a drafted week: its cadres now see their nights."""
    week = RosterWeek.objects.select_for_update().select_related("township").get(pk=week.pk)
    if week.status == RosterWeek.Status.PUBLISHED:
        raise ValidationError(_("本周排班已经发布。"))
    stay_ids = list(Stay.objects.filter(week=week).values_list("pk", flat=True))
    if not stay_ids:
        raise ValidationError(_("本周还没有任何住夜安排, 请先排班。"))
    week.status = RosterWeek.Status.PUBLISHED
    week.published_at = timezone.now()
    week.published_by = by
    week.full_clean()
    week.save(update_fields=["status", "published_at", "published_by"])
    audit.record("roster_publish", obj=week, user=by, stays=len(stay_ids), gaps=len(week.gaps))
    township_id, week_start = week.township_id, week.week_start
    transaction.on_commit(lambda: events.week_published.send(
        sender=RosterWeek, township_id=township_id, week_start=week_start, stay_ids=stay_ids))
    return week
