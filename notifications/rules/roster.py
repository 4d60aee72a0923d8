"""Reminders about the night roster (rule R1): tonight's stay, a missing check-in, a
published week, changed stays, leave and swap requests, next week's gaps."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.models import Leave, RosterWeek, Stay, Swap, Township, Village, WorkdayOverride
from residency.nights import workdays
from residency.roster.duty import on_duty_stays

from .. import conf
from ..kinds import Kind
from ..models import Notification
from ..reminder import Reminder
from ..timing import Occasion
from .common import link, local_date, md, township_admins

PUBLISHED = RosterWeek.Status.PUBLISHED


def _my_nights_link() -> str:
    return link(("residency:roster-mine",), ("home",))


def _week_link() -> str:
    return link(("residency:roster-home",), ("home",))


def _end_of_day(day) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=conf.config().tz)


# --- Timed ------------------------------------------------------------------------------


def stay_tonight(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """16:00 on a workday: every cadre with a (published) stay tonight."""
    stays = on_duty_stays(since=occasion.day, until=occasion.day).select_related("village", "cadre")
    url = _my_nights_link()
    return [Reminder(recipient_id=s.cadre.user_id, kind=Kind.STAY_TONIGHT,
                     subject=f"stay:{s.pk}", date=s.night,
                     text=_("今晚您在%(village)s住夜。") % {"village": s.village.name},
                     link=url, expires_at=occasion.expires)
            for s in stays]


def checkin_missing(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """21:30: a stay tonight with no check-in -> the cadre and the township admins, with
    the village named (a coverage gap is about to happen). Urgent."""
    stays = list(on_duty_stays(since=occasion.day, until=occasion.day)
                 .filter(checked_in_at__isnull=True).select_related("village", "cadre"))
    admins = township_admins({s.village.township_id for s in stays})
    hhmm = f"{conf.config().times[Kind.CHECKIN_MISSING]:%H:%M}"
    url = _my_nights_link()
    reminders: list[Reminder] = []
    for s in stays:
        values = {"village": s.village.name, "cadre": s.cadre.name, "night": md(s.night),
                  "time": hhmm}
        reminders.append(Reminder(
            recipient_id=s.cadre.user_id, kind=Kind.CHECKIN_MISSING, subject=f"stay:{s.pk}",
            date=s.night, urgent=True, expires_at=occasion.expires, link=url,
            text=_("今晚（%(night)s）您在%(village)s住夜，%(time)s 仍未签到，请尽快到村部签到。")
            % values))
        for admin_id in admins.get(s.village.township_id, []):
            reminders.append(Reminder(
                recipient_id=admin_id, kind=Kind.CHECKIN_MISSING, subject=f"stay:{s.pk}",
                date=s.night, urgent=True, expires_at=occasion.expires, link=_week_link(),
                text=_("%(village)s今晚（%(night)s）可能无人住夜：%(cadre)s %(time)s 仍未签到。")
                % values))
    return reminders


def roster_gaps(*, occasion: Occasion, at: datetime) -> list[Reminder]:
    """Thursday 10:00: township admins whose next week still has village-nights with no
    stay (workday nights, county overrides applied)."""
    monday = occasion.day
    sunday = monday + timedelta(days=6)
    villages = list(Village.objects.values_list("pk", "township_id", "township__county_id"))
    if not villages:
        return []
    overrides: dict[int, dict] = defaultdict(dict)
    for county_id, day, is_workday in WorkdayOverride.objects.filter(
            date__range=(monday, sunday)).values_list("county_id", "date", "is_workday"):
        overrides[county_id][day] = is_workday
    covered = set(Stay.objects.filter(night__range=(monday, sunday))
                  .values_list("village_id", "night"))
    statuses = dict(RosterWeek.objects.filter(week_start=monday)
                    .values_list("township_id", "status"))
    days = [monday + timedelta(days=i) for i in range(7)]
    nights_by_county = {}
    gaps: dict[int, int] = defaultdict(int)
    for village_id, township_id, county_id in villages:
        if county_id not in nights_by_county:
            nights_by_county[county_id] = [d for d in days
                                           if workdays.is_workday(d, overrides[county_id])]
        gaps[township_id] += sum(1 for d in nights_by_county[county_id]
                                 if (village_id, d) not in covered)
    gaps = {t: n for t, n in gaps.items() if n}
    admins = township_admins(gaps)
    names = dict(Township.objects.filter(pk__in=gaps).values_list("pk", "name"))
    reminders = []
    for township_id, count in sorted(gaps.items()):
        text = _("%(township)s下周（%(start)s 起）还有 %(count)s 个村·夜无人住夜，请尽快排班。") % {
            "township": names.get(township_id, ""), "start": md(monday), "count": count}
        if statuses.get(township_id) != PUBLISHED:
            text += _("下周排班尚未发布。")
        for admin_id in admins.get(township_id, []):
            reminders.append(Reminder(
                recipient_id=admin_id, kind=Kind.ROSTER_GAPS,
                subject=f"township:{township_id}", date=monday, text=text,
                link=_week_link(), expires_at=occasion.expires))
    return reminders


# --- Events (also re-derived by the sweep) ------------------------------------------------


def _nights_text(stays) -> str:
    return _("、").join(f"{md(s.night)} {s.village.name}" for s in stays)


def week_published(*, week_ids) -> list[Reminder]:
    """A week was published: each cadre with stays in it gets his or her nights."""
    weeks = {w.pk: w for w in RosterWeek.objects.filter(pk__in=list(week_ids), status=PUBLISHED,
                                                       published_at__isnull=False)
             .select_related("township")}
    by_cadre: dict[tuple[int, int], list[Stay]] = defaultdict(list)
    for s in Stay.objects.filter(week_id__in=weeks).select_related("village", "cadre").order_by(
            "night"):
        by_cadre[(s.week_id, s.cadre.user_id)].append(s)
    reminders = []
    for (week_id, user_id), stays in by_cadre.items():
        w = weeks[week_id]
        reminders.append(Reminder(
            recipient_id=user_id, kind=Kind.WEEK_PUBLISHED, subject=f"week:{week_id}",
            date=local_date(w.published_at), link=_my_nights_link(),
            expires_at=_end_of_day(w.week_start + timedelta(days=6)),
            text=_("%(township)s %(start)s 起一周的住夜排班已发布，您的住夜：%(nights)s。") % {
                "township": w.township.name, "start": md(w.week_start),
                "nights": _nights_text(stays)}))
    return reminders


def week_published_recent(*, at: datetime) -> list[Reminder]:
    """Weeks published lately whose announcement is missing (its receiver never ran):
    a week announced at all was announced to all its cadres (one transaction)."""
    since = at - timedelta(days=conf.event_lookback_days())
    announced = Notification.objects.filter(
        kind=Kind.WEEK_PUBLISHED,
        subject=Concat(Value("week:"), Cast(OuterRef("pk"), CharField())))
    ids = RosterWeek.objects.filter(
        status=PUBLISHED, published_at__gte=since, published_at__lte=at,
        week_start__gte=timezone.localtime(at).date() - timedelta(days=6)
    ).filter(~Exists(announced)).values_list("pk", flat=True)
    return week_published(week_ids=list(ids))


def stays_changed(*, stay_ids, cadre_ids, at: datetime | None = None) -> list[Reminder]:
    """Stays were created, moved, swapped or deleted in a published week: each cadre
    affected is told his or her current nights among them. The subject is a digest of the
    change, so the same event delivered twice is one notification, a new change another."""
    at = at or timezone.now()
    stay_ids, cadre_ids = sorted(set(stay_ids)), sorted(set(cadre_ids))
    stays = list(Stay.objects.filter(pk__in=stay_ids, week__status=PUBLISHED)
                 .select_related("village", "cadre").order_by("night"))
    from residency.models import Cadre

    cadres = dict(Cadre.objects.filter(pk__in=cadre_ids, active=True).values_list("pk", "user_id"))
    reminders = []
    for cadre_id, user_id in sorted(cadres.items()):
        mine = [s for s in stays if s.cadre_id == cadre_id]
        fingerprint = repr((stay_ids, [(s.pk, s.night.isoformat(), s.village_id) for s in mine]))
        digest = hashlib.sha1(fingerprint.encode(), usedforsecurity=False).hexdigest()[:16]
        if mine:
            text = _("您的住夜安排有变动，现安排：%(nights)s。") % {"nights": _nights_text(mine)}
        else:
            text = _("您的住夜安排有变动（有住夜已取消或调给他人），请查看最新排班。")
        reminders.append(Reminder(
            recipient_id=user_id, kind=Kind.STAYS_CHANGED, subject=f"stays:{digest}",
            date=local_date(at), text=text, link=_my_nights_link(),
            tonight=any(s.night == local_date(at) for s in mine)))
    return reminders


def _leave_values(leave: Leave) -> dict:
    period = (md(leave.start) if leave.start == leave.end else
              _("%(start)s 至 %(end)s") % {"start": md(leave.start), "end": md(leave.end)})
    return {"cadre": leave.cadre.name, "kind": leave.get_kind_display(), "period": period,
            "status": leave.get_status_display()}


def _leave_link(leave: Leave) -> str:
    return link(("residency:leave-list",), ("home",))


def leave_requested(*, leave_ids) -> list[Reminder]:
    """A leave request -> the approvers (the cadre's township admins)."""
    leaves = list(Leave.objects.filter(pk__in=list(leave_ids), status=Leave.Status.PENDING)
                  .select_related("cadre"))
    admins = township_admins({lv.cadre.township_id for lv in leaves})
    return [Reminder(recipient_id=admin_id, kind=Kind.LEAVE_REQUESTED, subject=f"leave:{lv.pk}",
                     date=local_date(lv.requested_at), link=_leave_link(lv),
                     text=_("%(cadre)s 申请%(kind)s（%(period)s），请审批。")
                     % _leave_values(lv))
            for lv in leaves for admin_id in admins.get(lv.cadre.township_id, [])]


def leave_decided(*, leave_ids) -> list[Reminder]:
    """A leave decision -> the cadre who asked."""
    leaves = Leave.objects.filter(pk__in=list(leave_ids), decided_at__isnull=False,
                                  status__in=[Leave.Status.APPROVED, Leave.Status.REJECTED]
                                  ).select_related("cadre")
    return [Reminder(recipient_id=lv.cadre.user_id, kind=Kind.LEAVE_DECIDED,
                     subject=f"leave:{lv.pk}", date=local_date(lv.decided_at),
                     link=_leave_link(lv),
                     text=_("您的%(kind)s申请（%(period)s）%(status)s。")
                     % _leave_values(lv))
            for lv in leaves]


def leave_requested_recent(*, at: datetime) -> list[Reminder]:
    since = at - timedelta(days=conf.event_lookback_days())
    return leave_requested(leave_ids=Leave.objects.filter(
        status=Leave.Status.PENDING, requested_at__range=(since, at)).values_list("pk", flat=True))


def leave_decided_recent(*, at: datetime) -> list[Reminder]:
    since = at - timedelta(days=conf.event_lookback_days())
    return leave_decided(leave_ids=Leave.objects.filter(
        decided_at__range=(since, at)).values_list("pk", flat=True))


def _swap_values(swap: Swap) -> dict:
    return {"cadre": swap.requested_by.name, "colleague": swap.colleague.name,
            "night": md(swap.stay.night), "village": swap.stay.village.name,
            "status": swap.get_status_display()}


def _swap_link(swap: Swap) -> str:
    return link(("residency:swap-list",), ("home",))


def _swaps(ids):
    return Swap.objects.filter(pk__in=list(ids)).select_related(
        "requested_by", "colleague", "stay__village")


def swap_requested(*, swap_ids) -> list[Reminder]:
    """A swap request -> the approvers (the township admins of the stay's village)."""
    swaps = list(_swaps(swap_ids).filter(status=Swap.Status.PENDING))
    admins = township_admins({s.stay.village.township_id for s in swaps})
    return [Reminder(recipient_id=admin_id, kind=Kind.SWAP_REQUESTED, subject=f"swap:{s.pk}",
                     date=local_date(s.requested_at), link=_swap_link(s),
                     text=_("%(cadre)s 申请将 %(night)s 在%(village)s的住夜换给 %(colleague)s，请审批。")
                     % _swap_values(s))
            for s in swaps for admin_id in admins.get(s.stay.village.township_id, [])]


def swap_decided(*, swap_ids) -> list[Reminder]:
    """A swap decision -> the cadre who asked."""
    swaps = _swaps(swap_ids).filter(decided_at__isnull=False,
                                    status__in=[Swap.Status.APPROVED, Swap.Status.REJECTED])
    return [Reminder(recipient_id=s.requested_by.user_id, kind=Kind.SWAP_DECIDED,
                     subject=f"swap:{s.pk}", date=local_date(s.decided_at), link=_swap_link(s),
                     text=_("您申请将 %(night)s 在%(village)s的住夜换给 %(colleague)s，%(status)s。")
                     % _swap_values(s))
            for s in swaps]


def swap_requested_recent(*, at: datetime) -> list[Reminder]:
    since = at - timedelta(days=conf.event_lookback_days())
    return swap_requested(swap_ids=Swap.objects.filter(
        status=Swap.Status.PENDING, requested_at__range=(since, at)).values_list("pk", flat=True))


def swap_decided_recent(*, at: datetime) -> list[Reminder]:
    since = at - timedelta(days=conf.event_lookback_days())
    return swap_decided(swap_ids=Swap.objects.filter(
        decided_at__range=(since, at)).values_list("pk", flat=True))
