"""When each timed reminder is due and until when it is worth sending. Pure: plain
datetimes in, plain values out (the caller passes aware datetimes in Asia/Shanghai).

A sweep at moment ``at`` creates every reminder whose *occasion* is open at ``at``:
``due <= at < expires``. Beat runs the sweep every few minutes, so a sweep that was
missed (Redis down, worker restarting) is caught up by the next one; once ``expires`` has
passed (the night is over) the reminder is dropped, never sent late."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from residency.nights.clock import parse_hhmm

from .kinds import Kind

DEFAULT_TIMES: dict[str, str] = {
    Kind.STAY_TONIGHT: "16:00",          # a workday afternoon, for tonight's stay
    Kind.CHECKIN_MISSING: "21:30",       # tonight, no check-in yet
    Kind.NO_VISIT_LOGGED: "09:00",       # the morning after the night
    Kind.ROSTER_GAPS: "10:00",           # on ROSTER_GAPS_WEEKDAY
    Kind.PROBLEM_OVERDUE: "08:30",       # daily
    Kind.TIES_INCOMPLETE: "09:00",       # on TIES_WEEKDAY
    Kind.REVIEW_MEETING: "09:00",        # REVIEW_MEETING_DAYS_BEFORE a meeting
    Kind.MEETING_SEASON: "09:00",        # weekly from MEETING_SEASON_START to the year's end
}
DEFAULTS: dict[str, object] = {
    "ROSTER_GAPS_WEEKDAY": 3,            # Thursday (0 = Monday)
    "TIES_WEEKDAY": 0,                   # Monday
    "REVIEW_MEETING_DAYS_BEFORE": (7, 1),
    "MEETING_SEASON_START": "11-01",     # MM-DD: villages without their review meeting
    "NIGHT_ENDS": "07:00",               # a night has passed at this time the next morning
    "QUIET_HOURS": ("22:00", "07:00"),
}
TIMED_KINDS = tuple(DEFAULT_TIMES)


def parse_month_day(value: str) -> tuple[int, int]:
    """"11-01" -> (11, 1); refuses a date that no year has."""
    month, day = (int(part) for part in str(value).strip().split("-"))
    date(2024, month, day)  # a leap year: 02-29 is allowed
    return month, day


def meeting_season_start(year: int, cfg: Config) -> date:
    month, day = cfg.meeting_season_start
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return date(year, month, day)


@dataclass(frozen=True)
class Config:
    tz: ZoneInfo
    times: Mapping[str, time]
    roster_gaps_weekday: int = 3
    ties_weekday: int = 0
    review_days_before: tuple[int, ...] = (7, 1)
    night_ends: time = time(7, 0)
    meeting_season_start: tuple[int, int] = (11, 1)  # (month, day)

    @classmethod
    def build(cls, *, tz: str, times: Mapping[str, str] | None = None,
              **options) -> Config:
        merged = {**DEFAULT_TIMES, **(times or {})}
        opts = {**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
        return cls(
            tz=ZoneInfo(tz),
            times={k: parse_hhmm(v) for k, v in merged.items()},
            roster_gaps_weekday=int(opts["ROSTER_GAPS_WEEKDAY"]),
            ties_weekday=int(opts["TIES_WEEKDAY"]),
            review_days_before=tuple(int(d) for d in opts["REVIEW_MEETING_DAYS_BEFORE"]),
            night_ends=parse_hhmm(opts["NIGHT_ENDS"]),
            meeting_season_start=parse_month_day(opts["MEETING_SEASON_START"]),
        )

    def at(self, day: date, hhmm: time) -> datetime:
        return datetime.combine(day, hhmm, tzinfo=self.tz)


@dataclass(frozen=True)
class Occasion:
    """One firing of a timed rule. ``day`` is what the reminder is about (the night, the
    week's Monday, the reminder day); it is the ``date`` of the dedup key."""

    kind: str
    day: date
    due: datetime
    expires: datetime

    def open_at(self, at: datetime) -> bool:
        return self.due <= at < self.expires


def _last_weekday(d: date, weekday: int) -> date:
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def candidates(kind: str, at: datetime, cfg: Config) -> list[Occasion]:
    """The occasions of ``kind`` that could be open around ``at`` (open or not)."""
    local = at.astimezone(cfg.tz)
    today = local.date()
    t = cfg.times[kind]
    if kind == Kind.STAY_TONIGHT:
        # About tonight; pointless once the night has begun (midnight).
        return [Occasion(kind, today, cfg.at(today, t), cfg.at(today + timedelta(days=1), time(0)))]
    if kind == Kind.CHECKIN_MISSING:
        # Still useful after midnight (a late check-in belongs to the night) until the
        # night ends the next morning.
        return [Occasion(kind, night, cfg.at(night, t),
                         cfg.at(night + timedelta(days=1), cfg.night_ends))
                for night in (today - timedelta(days=1), today)]
    if kind == Kind.NO_VISIT_LOGGED:
        night = today - timedelta(days=1)
        return [Occasion(kind, night, cfg.at(today, t), cfg.at(today + timedelta(days=1), time(0)))]
    if kind == Kind.ROSTER_GAPS:
        day = _last_weekday(today, cfg.roster_gaps_weekday)
        next_monday = day - timedelta(days=day.weekday()) + timedelta(days=7)
        # The occasion is about next week: its Monday is the key's date.
        return [Occasion(kind, next_monday, cfg.at(day, t), cfg.at(next_monday, time(0)))]
    if kind == Kind.PROBLEM_OVERDUE:
        return [Occasion(kind, today, cfg.at(today, t), cfg.at(today + timedelta(days=1), time(0)))]
    if kind == Kind.TIES_INCOMPLETE:
        day = _last_weekday(today, cfg.ties_weekday)
        return [Occasion(kind, day, cfg.at(day, t), cfg.at(day + timedelta(days=7), time(0)))]
    if kind == Kind.REVIEW_MEETING:
        # The reminder day itself; the rule finds meetings ``days_before`` later.
        return [Occasion(kind, today, cfg.at(today, t), cfg.at(today + timedelta(days=1), time(0)))]
    if kind == Kind.MEETING_SEASON:
        # Weekly from the season's start (default 1 November) to the end of the year: the
        # occasion's day is the start or a multiple of 7 days after it.
        start = meeting_season_start(today.year, cfg)
        if today < start:
            return []
        day = start + timedelta(days=7 * ((today - start).days // 7))
        return [Occasion(kind, day, cfg.at(day, t), cfg.at(day + timedelta(days=7), time(0)))]
    raise ValueError(f"not a timed kind: {kind}")


def open_occasions(at: datetime, cfg: Config, kinds=TIMED_KINDS) -> list[Occasion]:
    """Every occasion open at ``at``: what a sweep at ``at`` must create."""
    return [o for kind in kinds for o in candidates(kind, at, cfg) if o.open_at(at)]


def in_quiet_hours(moment: datetime, start: time, end: time, tz: ZoneInfo) -> bool:
    t = moment.astimezone(tz).time()
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def sms_not_before(moment: datetime, *, start: time, end: time, tz: ZoneInfo,
                   urgent: bool) -> datetime:
    """When an SMS created at ``moment`` may go out: now, or when quiet hours end."""
    if urgent or not in_quiet_hours(moment, start, end, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz)


OVERDUE_REMINDER_DAYS = (1, 3, 7)  # then every 7 days: 14, 21, 28, ...


def overdue_reminder_due(days_overdue: int) -> bool:
    """Whether an open problem ``days_overdue`` days past its due date reminds its owner
    today: on days 1, 3 and 7, then weekly (not every day: people mute what floods them)."""
    if days_overdue in OVERDUE_REMINDER_DAYS:
        return True
    return days_overdue > OVERDUE_REMINDER_DAYS[-1] and days_overdue % 7 == 0
