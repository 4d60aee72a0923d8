"""Check-in (签到): one tap on the night, server time, within the configured window.

``CHECKIN_WINDOW_START`` / ``CHECKIN_WINDOW_END`` ("HH:MM", local time of TIME_ZONE). When
END is not after START the window runs past midnight into the next morning, and a
check-in after midnight belongs to the previous night's stay. END may be "24:00"."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency import audit
from residency.models import Cadre, RosterWeek, Stay


def _parse(value: str) -> time | None:
    """"HH:MM" -> time; "24:00" -> None (end of day)."""
    hours, minutes = (int(x) for x in value.strip().split(":"))
    if (hours, minutes) == (24, 0):
        return None
    return time(hours, minutes)


def window() -> tuple[time, time | None]:
    return (_parse(getattr(settings, "CHECKIN_WINDOW_START", "17:00")),
            _parse(getattr(settings, "CHECKIN_WINDOW_END", "02:00")))


def window_label() -> str:
    start, end = window()
    end_text = "24:00" if end is None else end.strftime("%H:%M")
    if end is not None and end <= start:
        return _("每晚 %(a)s 至次日 %(b)s") % {"a": start.strftime("%H:%M"), "b": end_text}
    return _("当天 %(a)s 至 %(b)s") % {"a": start.strftime("%H:%M"), "b": end_text}


def checkin_night(now: datetime | None = None) -> date | None:
    """The night a check-in at ``now`` belongs to, or None outside the window."""
    local = timezone.localtime(now or timezone.now())
    start, end = window()
    t = local.time()
    if end is not None and end <= start:  # across midnight
        if t >= start:
            return local.date()
        if t < end:
            return local.date() - timedelta(days=1)
        return None
    if t >= start and (end is None or t < end):
        return local.date()
    return None


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
def stay_check_in(*, stay: Stay, cadre: Cadre, by=None, now: datetime | None = None) -> Stay:
    """Check in to one's own published stay, tonight, inside the window (server time)."""
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
    updated = Stay.objects.filter(pk=stay.pk, checked_in_at__isnull=True).update(checked_in_at=now)
    if not updated:
        raise ValidationError(_("已签到, 无需重复签到。"))
    stay.checked_in_at = now
    audit.record("stay_check_in", obj=stay, user=by, night=stay.night.isoformat())
    return stay
