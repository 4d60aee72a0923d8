"""The reminder settings (tongxiang/settings/base.py, block "Notifications and reminders")
as a ``timing.Config``."""
from __future__ import annotations

from django.conf import settings

from .timing import DEFAULTS, Config, parse_hhmm


def config() -> Config:
    return Config.build(
        tz=settings.TIME_ZONE,
        times=getattr(settings, "NOTIFICATIONS_TIMES", None),
        ROSTER_GAPS_WEEKDAY=getattr(settings, "NOTIFICATIONS_ROSTER_GAPS_WEEKDAY", None),
        TIES_WEEKDAY=getattr(settings, "NOTIFICATIONS_TIES_WEEKDAY", None),
        REVIEW_MEETING_DAYS_BEFORE=getattr(settings, "NOTIFICATIONS_REVIEW_MEETING_DAYS_BEFORE",
                                           None),
        NIGHT_ENDS=night_ends(),
        MEETING_SEASON_START=getattr(settings, "NOTIFICATIONS_MEETING_SEASON_START", None),
    )


def default_quiet_hours():
    start, end = getattr(settings, "NOTIFICATIONS_QUIET_HOURS", DEFAULTS["QUIET_HOURS"])
    return parse_hhmm(start), parse_hhmm(end)


def event_lookback_days() -> int:
    """How far back a sweep looks for events (publications, leave and swap requests and
    decisions) whose notifications may have been lost."""
    return int(getattr(settings, "NOTIFICATIONS_EVENT_LOOKBACK_DAYS", 3))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def retry_countdown() -> int:
    return int(getattr(settings, "NOTIFICATIONS_RETRY_COUNTDOWN", 30))


def stale_after_seconds() -> int:
    """A delivery claimed longer ago than this belonged to a worker that died."""
    return int(getattr(settings, "NOTIFICATIONS_STALE_CLAIM_SECONDS", 120))


def night_ends() -> str:
    """When a night has passed: a missing check-in reminder is dropped after this. The
    check-in window's end (CHECKIN_WINDOW_END, residency) unless set explicitly."""
    value = getattr(settings, "NOTIFICATIONS_NIGHT_ENDS", "") or getattr(
        settings, "CHECKIN_WINDOW_END", "")
    try:
        parse_hhmm(value)
    except (TypeError, ValueError):
        return str(DEFAULTS["NIGHT_ENDS"])
    return value


def badge_cache_seconds() -> int:
    """How long the unread badge's count is kept in the cache (0: counted on every page)."""
    return int(getattr(settings, "NOTIFICATIONS_BADGE_CACHE_SECONDS", 120))
