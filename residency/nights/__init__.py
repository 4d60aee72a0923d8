"""Time rules shared by every app, written once.

- ``clock``: parsing "HH:MM" and the pure night-of rule;
- ``isoweek``: ISO week strings and the Monday of a week;
- ``workdays``: the Chinese statutory calendar (workdays, holidays, make-up days);
- this module: **which night a moment belongs to**, per activity, read from settings.

A moment before the activity's cut-off in the morning belongs to the previous evening's
night. The cut-offs, side by side (``tongxiang/settings/base.py``):

| activity     | cut-off                                          | default |
| ------------ | ------------------------------------------------ | ------- |
| ``checkin``  | ``CHECKIN_WINDOW_END`` when the window crosses midnight, else 00:00 | 02:00 |
| ``visit``    | the same as ``checkin`` (a visit logged after midnight)            | 02:00 |
| ``spot_check`` | ``SPOT_CHECK_NIGHT_CUTOFF`` (a morning spot check verifies the night before) | 12:00 |
"""
from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from residency.nights.clock import MIDNIGHT, night_of_local, parse_hhmm
from residency.nights.isoweek import monday_of

ACTIVITIES = ("checkin", "visit", "spot_check")


def checkin_window() -> tuple[time, time]:
    """(start, end) of the nightly check-in window; end 00:00 means midnight."""
    return (parse_hhmm(getattr(settings, "CHECKIN_WINDOW_START", "17:00")),
            parse_hhmm(getattr(settings, "CHECKIN_WINDOW_END", "02:00")))


def window_crosses_midnight() -> bool:
    start, end = checkin_window()
    return end != MIDNIGHT and end <= start


def cutoff(activity: str) -> time:
    """The morning time before which a moment of ``activity`` belongs to the night before."""
    if activity == "spot_check":
        return parse_hhmm(getattr(settings, "SPOT_CHECK_NIGHT_CUTOFF", "12:00"))
    if activity in ("checkin", "visit"):
        return checkin_window()[1] if window_crosses_midnight() else MIDNIGHT
    raise ValueError(f"unknown activity {activity!r}; one of {ACTIVITIES}")


def night_of(moment: datetime, *, activity: str) -> date:
    """The night an aware ``moment`` belongs to, for ``activity`` (see the table above)."""
    return night_of_local(timezone.localtime(moment), cutoff(activity))


__all__ = ["ACTIVITIES", "checkin_window", "cutoff", "monday_of", "night_of", "parse_hhmm",
           "window_crosses_midnight"]
