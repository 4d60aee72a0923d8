"""Check-in (签到): one tap on the night, server time, within the configured window, with
the phone's position when the browser gives one (``position.py``).

``CHECKIN_WINDOW_START`` / ``CHECKIN_WINDOW_END`` ("HH:MM", local time of TIME_ZONE). When
END is not after START the window runs past midnight into the next morning, and a
check-in after midnight belongs to the previous night's stay. END may be "24:00"."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.models import Cadre, RosterWeek, Stay
from residency.nights import checkin_window, night_of, window_crosses_midnight
from residency.nights.clock import MIDNIGHT
from residency.roster.services.position import CheckinPosition, assess


def window() -> tuple[time, time | None]:
    """(start, end) of the window; end None means midnight (the end of the day)."""
    start, end = checkin_window()
    return start, (None if end == MIDNIGHT else end)


def window_label() -> str:
    start, end = window()
    end_text = "24:00" if end is None else end.strftime("%H:%M")
    if window_crosses_midnight():
        return _("每晚 %(a)s 至次日 %(b)s") % {"a": start.strftime("%H:%M"), "b": end_text}
    return _("当天 %(a)s 至 %(b)s") % {"a": start.strftime("%H:%M"), "b": end_text}


def checkin_night(now: datetime | None = None) -> date | None:
    """The night a check-in at ``now`` belongs to, or None outside the window."""
    moment = now or timezone.now()
    start, end = window()
    t = timezone.localtime(moment).time()
    if window_crosses_midnight():
        inside = t >= start or t < end
    else:
        inside = t >= start and (end is None or t < end)
    return night_of(moment, activity="checkin") if inside else None


def opens_later_today(now: datetime | None = None) -> str:
    """"HH:MM" when tonight's check-in has not opened yet (before the window's start
    today, outside any window), else "" (open now, or tonight's window is over)."""
    local = timezone.localtime(now or timezone.now())
    start, _end = window()
    if checkin_night(local) is None and local.time() < start:
        return start.strftime("%H:%M")
    return ""


def window_closes_at(night: date) -> datetime:
    """When the check-in window of ``night`` closes (aware, local time zone)."""
    start, end = window()
    tz = timezone.get_current_timezone()
    if end is None:
        return datetime.combine(night + timedelta(days=1), time(0, 0), tzinfo=tz)
    day = night + timedelta(days=1) if end <= start else night
    return datetime.combine(day, end, tzinfo=tz)


def current_night(now: datetime | None = None) -> date:
    """The night a cadre's phone should show: the check-in night, else today's."""
    return checkin_night(now) or timezone.localtime(now or timezone.now()).date()


@transaction.atomic
def stay_check_in(*, stay: Stay, cadre: Cadre, by=None, now: datetime | None = None,
                  position: CheckinPosition | None = None) -> Stay:
    """Check in to one's own published stay, tonight, inside the window (server time).
    ``position`` is what the browser reported (none without JavaScript): stored with its
    distance to the village office; farther than ``CHECKIN_FAR_RADIUS_M`` sets
    ``checkin_far``. No position is recorded as such and flags nothing by itself."""
    now = now or timezone.now()
    stay = Stay.objects.select_related("week", "village").get(pk=stay.pk)
    if stay.cadre_id != cadre.pk:
        raise ValidationError(_("只能为自己的住夜签到。"))
    if stay.week.status != RosterWeek.Status.PUBLISHED:
        raise ValidationError(_("本周排班尚未发布。"))
    if stay.checked_in_at is not None:
        raise ValidationError(_("已于 %(t)s 签到, 无需重复签到。") % {
            "t": timezone.localtime(stay.checked_in_at).strftime("%H:%M")})
    night = checkin_night(now)
    if night != stay.night:
        raise ValidationError(_("现在不在 %(m)d月%(d)d日 的签到时间内 (签到时间: %(w)s)。") % {
            "m": stay.night.month, "d": stay.night.day, "w": window_label()})
    # Conditional update: a double tap (two requests at once) checks in exactly once.
    fields = assess(position or CheckinPosition(), stay.village)
    updated = Stay.objects.filter(pk=stay.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, **fields)
    if not updated:
        raise ValidationError(_("已签到, 无需重复签到。"))
    stay.checked_in_at = now
    for name, value in fields.items():
        setattr(stay, name, value)
    audit.record("stay_check_in", obj=stay, user=by, night=stay.night.isoformat(),
                 position=stay.checkin_position_status, distance_m=stay.checkin_distance_m,
                 far=stay.checkin_far)
    return stay
