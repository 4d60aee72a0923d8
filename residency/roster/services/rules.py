"""The hard rules of rule R1 as checks shared by every roster write (the planner obeys the
same rules; see residency/roster/planner/__init__.py). Each check raises ValidationError with the reason
in Chinese."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.directory.stations import in_force_on_q
from residency.models import Cadre, Leave, RosterWeek, Station, Stay, Village
from residency.roster.services.calendar import WeekCalendar

MAX_NIGHTS = 2


def md(d: date) -> str:
    return _("%(m)d月%(d)d日") % {"m": d.month, "d": d.day}


def today_or(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def home_village_id(cadre: Cadre, on: date | None = None) -> int | None:
    """The village the cadre is stationed in on ``on`` (default today): a station whose
    start lies ahead is not in force yet."""
    return (Station.objects.filter(in_force_on_q(today_or(on)), cadre=cadre)
            .order_by("-start").values_list("village_id", flat=True).first())


def leave_days(*, cadre_ids: Iterable[int], start: date, end: date) -> dict[int, set[date]]:
    """Approved leave dates per cadre within ``start..end`` (one query)."""
    out: dict[int, set[date]] = {}
    rows = Leave.objects.filter(cadre_id__in=list(cadre_ids), status=Leave.Status.APPROVED,
                                start__lte=end, end__gte=start).values_list("cadre_id", "start", "end")
    for cid, s, e in rows:
        d = max(s, start)
        while d <= min(e, end):
            out.setdefault(cid, set()).add(d)
            d += timedelta(days=1)
    return out


class WeekRules:
    """The facts one edit of a township's week is checked against (loaded once)."""

    def __init__(self, week: RosterWeek, *, today: date | None = None):
        self.week = week
        self.monday = week.week_start
        self.sunday = week.week_start + timedelta(days=6)
        self.today = today_or(today)
        self.cal = WeekCalendar(county_id=week.township.county_id, start=self.monday,
                                end=self.sunday)
        self.stays = list(Stay.objects.filter(week=week).select_related("cadre", "village"))

    def check_editable_night(self, night: date) -> None:
        if not (self.monday <= night <= self.sunday):
            raise ValidationError(_("%(d)s 不在本周 (%(a)s 至 %(b)s)。") % {
                "d": night.isoformat(), "a": self.monday.isoformat(), "b": self.sunday.isoformat()})
        if night < self.today:
            raise ValidationError(_("%(d)s 已经过去, 过去的夜晚不能更改。") % {"d": md(night)})

    def check_stay(self, *, cadre: Cadre, village: Village, night: date,
                   ignore: Iterable[int] = ()) -> None:
        """Could ``cadre`` stay at ``village`` on ``night`` (ignoring stays ``ignore``)?"""
        ignore = set(ignore)
        self.check_editable_night(night)
        if village.township_id != self.week.township_id:
            raise ValidationError(_("%(v)s 不属于本镇(街道)。") % {"v": village.name})
        if cadre.township_id != self.week.township_id or not cadre.active:
            raise ValidationError(_("%(c)s 不是本镇(街道)的在岗干部。") % {"c": cadre.name})
        if not self.cal.is_workday(night):
            raise ValidationError(_("%(d)s 不是工作日, 无需住夜。") % {"d": md(night)})
        if night in leave_days(cadre_ids=[cadre.pk], start=night, end=night).get(cadre.pk, ()):
            raise ValidationError(_("%(c)s %(d)s 已请假, 不能安排住夜。") % {
                "c": cadre.name, "d": md(night)})
        others = [s for s in self.stays if s.cadre_id == cadre.pk and s.pk not in ignore]
        clash = next((s for s in others if s.night == night), None)
        if clash is None:
            clash = (Stay.objects.filter(cadre=cadre, night=night).exclude(pk__in=ignore)
                     .select_related("village").first())
        if clash is not None:
            raise ValidationError(_("%(c)s %(d)s 已安排在%(v)s住夜, 同一晚不能住两处。") % {
                "c": cadre.name, "d": md(night), "v": clash.village.name})
        if len(others) >= MAX_NIGHTS:
            raise ValidationError(_("%(c)s 本周已住夜 %(n)d 晚, 每人每周最多 %(m)d 晚。") % {
                "c": cadre.name, "n": len(others), "m": MAX_NIGHTS})

    def check_still_covered(self, *, village: Village, night: date,
                            removed: Iterable[int], added: Iterable[tuple[int, date]] = ()) -> None:
        """Removing stays ``removed`` must not leave a covered workday night uncovered."""
        removed = set(removed)
        if not self.cal.is_workday(night):
            return
        before = [s for s in self.stays if s.village_id == village.pk and s.night == night]
        if not before:
            return
        remaining = [s for s in before if s.pk not in removed]
        if remaining or (village.pk, night) in set(added):
            return
        raise ValidationError(_("%(v)s %(d)s 将无人住夜; 每个工作日晚上村部都要有干部住夜, "
                                "请先安排替班或改用“对调”。") % {"v": village.name, "d": md(night)})

    def check_minimum(self, *, cadre: Cadre, removed: Iterable[int],
                      added: int = 0) -> None:
        """A cadre who must stay this week keeps at least one night."""
        removed = set(removed)
        remaining = [s for s in self.stays if s.cadre_id == cadre.pk and s.pk not in removed]
        if remaining or added:
            return
        nights = self.cal.workday_nights(self.monday)
        leave = leave_days(cadre_ids=[cadre.pk], start=self.monday, end=self.sunday).get(cadre.pk, set())
        if any(n not in leave for n in nights):
            raise ValidationError(_("%(c)s 本周至少需住夜 1 晚 (每人每周 1 至 2 晚)。") % {
                "c": cadre.name})
