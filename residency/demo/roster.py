"""Demo step ``residency.demo.roster.seed``: the demo county's roster.

Runs after ``residency.demo.directory.seed_directory``. Draws only from ``ctx.rng`` and
``ctx.today``, so one seed always gives the same roster:

- approved leave for about 5% of cadre-days in the three weeks around today (last week,
  this week, next week), plus a few pending requests for the township admins to decide;
- this week and next week planned (through the planning service, as an admin would) and
  published for every township; the demo cadre has tonight's stay when tonight is a
  workday night;
- check-ins on the past nights of this week (about 93%; the rest are missed check-ins,
  candidate violations for the appraisal demo) and a few spot checks, two of them absent;
- one pending swap request.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from residency.demo.places import demo_checkin
from residency.models import Cadre, Leave, RosterWeek, SpotCheck, Station, Stay, Swap, Township
from residency.roster.services import roster_plan, roster_publish
from residency.roster.services.calendar import WeekCalendar
from residency.roster.services.planning import roster_week_get
from residency.roster.services.position import assess

LEAVE_SHARE = 0.05
CHECKIN_SHARE = 0.93
LEAVE_KINDS = ["personal", "sick", "trip", "training", "other"]
LEAVE_WEIGHTS = [3, 2, 3, 2, 1]


def _demo_user(ctx, role: str):
    entry = ctx.logins.get(role)
    if not entry:
        return None
    return get_user_model().objects.filter(username=entry[0]).first()


def seed(ctx) -> None:
    county = ctx.county
    if county is None:
        ctx.note("住夜排班: 没有演示县, 跳过。")
        return
    rng, today = ctx.rng, ctx.today
    monday = today - timedelta(days=today.weekday())
    first, last = monday - timedelta(days=7), monday + timedelta(days=13)
    townships = list(Township.objects.filter(county=county).order_by("code"))
    stations = list(Station.objects.filter(end__isnull=True, village__township__county=county,
                                           cadre__active=True).values_list("cadre_id", "village_id")
                    .order_by("cadre_id"))
    demo_cadre_user = _demo_user(ctx, "cadre")
    demo_cadre = Cadre.objects.filter(user=demo_cadre_user).first() if demo_cadre_user else None

    # Leave: ~5% of cadre-days, in spans of 1-5 days (mean 3).
    days = (last - first).days + 1
    p_leave = LEAVE_SHARE * days / 3  # leaves per cadre, so that leave-days ~ 5% of cadre-days
    leaves = []
    now = timezone.now()
    for cadre_id, _vid in stations:
        if demo_cadre and cadre_id == demo_cadre.pk:
            continue
        if rng.random() >= p_leave:
            continue
        length = rng.randint(1, 5)
        start = first + timedelta(days=rng.randrange(days))
        end = min(start + timedelta(days=length - 1), last)
        kind = rng.choices(LEAVE_KINDS, LEAVE_WEIGHTS)[0]
        leaves.append(Leave(cadre_id=cadre_id, kind=kind, start=start, end=end,
                            status=Leave.Status.APPROVED, requested_at=now - timedelta(days=10),
                            decided_at=now - timedelta(days=9), reason="演示数据"))
    pending = rng.sample(stations, k=min(len(stations), 2 * len(townships)))
    for cadre_id, _vid in pending:
        start = monday + timedelta(days=14 + rng.randrange(7))
        leaves.append(Leave(cadre_id=cadre_id, kind=rng.choices(LEAVE_KINDS, LEAVE_WEIGHTS)[0],
                            start=start, end=start + timedelta(days=rng.randint(0, 2)),
                            reason="演示: 待审批"))
    Leave.objects.bulk_create(leaves)

    # The demo cadre stays tonight when tonight is a workday night (pinned, so planning keeps it).
    cal = WeekCalendar(county_id=county.pk, start=first, end=last)
    if demo_cadre is not None and cal.is_workday(today):
        home = next((v for c, v in stations if c == demo_cadre.pk), None)
        if home is not None:
            week = roster_week_get(township=demo_cadre.township, week_start=monday)
            Stay.objects.get_or_create(cadre=demo_cadre, night=today, defaults={
                "village_id": home, "week": week, "pinned": True})

    # Plan and publish this week and next week for every township. This week is planned as
    # from its Monday, so that its past nights have stays too (the demo starts mid-week).
    gaps = 0
    for t in townships:
        for start in (monday, monday + timedelta(days=7)):
            summary = roster_plan(township=t, week_start=start, today=min(start, today))
            gaps += len(summary.gaps)
            roster_publish(week=summary.week)

    # Check-ins on the past nights of this week, between 18:00 and 22:30 of the night.
    tz = timezone.get_current_timezone()
    past = list(Stay.objects.filter(village__township__county=county, night__gte=monday,
                                    night__lt=today).select_related("village").order_by("pk"))
    position_fields = ["checkin_latitude", "checkin_longitude", "checkin_accuracy_m",
                       "checkin_distance_m", "checkin_far", "checkin_position_status"]
    for stay in past:
        if rng.random() < CHECKIN_SHARE:
            minutes = rng.randint(0, 270)
            stay.checked_in_at = datetime.combine(stay.night, time(18, 0), tzinfo=tz) + timedelta(
                minutes=minutes)
            # Where the phone was (deterministic, without drawing from rng).
            position = demo_checkin(f"{stay.cadre_id}-{stay.night}",
                                    (stay.village.latitude, stay.village.longitude))["position"]
            for name, value in assess(position, stay.village).items():
                setattr(stay, name, value)
    Stay.objects.bulk_update([s for s in past if s.checked_in_at], ["checked_in_at", *position_fields],
                             batch_size=500)

    # Spot checks on past nights: mostly present, two absent (candidate violations).
    inspector = _demo_user(ctx, "inspector") or _demo_user(ctx, "township_admin")
    checks = []
    if inspector is not None and past:
        sample = rng.sample(past, k=min(12, len(past)))
        for i, stay in enumerate(sample):
            present = i >= 2
            at = datetime.combine(stay.night, time(21, 0), tzinfo=tz) + timedelta(minutes=rng.randint(0, 120))
            checks.append(SpotCheck(village_id=stay.village_id, at=at, night=stay.night,
                                    expected_cadre_id=stay.cadre_id, stay=stay, present=present,
                                    note="" if present else "演示: 暗访时未在村部", inspector=inspector))
        SpotCheck.objects.bulk_create(checks)

    # One pending swap: two cadres of the same village, next week.
    next_stays = list(Stay.objects.filter(village__township__county=county,
                                          night__gte=monday + timedelta(days=7),
                                          week__status=RosterWeek.Status.PUBLISHED)
                      .order_by("village_id", "night")[:200])
    by_village: dict[int, list[Stay]] = {}
    for s in next_stays:
        by_village.setdefault(s.village_id, []).append(s)
    for group in by_village.values():
        if len(group) >= 2 and group[0].cadre_id != group[1].cadre_id:
            Swap.objects.create(stay=group[0], requested_by_id=group[0].cadre_id,
                                colleague_id=group[1].cadre_id, reason="演示: 家中有事")
            break
    ctx.note(f"住夜排班: {len(leaves)} 条请假, {len(townships)} 个镇(街道)两周已排班并发布 "
             f"(无法覆盖 {gaps} 个村·夜), {sum(1 for s in past if s.checked_in_at)} 次签到, "
             f"{len(checks)} 次暗访。")
