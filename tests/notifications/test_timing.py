"""When each timed reminder is due, and quiet hours (pure)."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from notifications.kinds import Kind
from notifications.timing import (
    Config,
    in_quiet_hours,
    open_occasions,
    parse_hhmm,
    sms_not_before,
)

TZ = ZoneInfo("Asia/Shanghai")
CFG = Config.build(tz="Asia/Shanghai", NIGHT_ENDS="02:00")


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def kinds_open(moment):
    return {(o.kind, o.day) for o in open_occasions(moment, CFG)}


def test_tonight_reminder_opens_at_1600_and_is_dropped_at_midnight():
    assert (Kind.STAY_TONIGHT, date(2026, 3, 2)) not in kinds_open(at(2026, 3, 2, 15, 59))
    assert (Kind.STAY_TONIGHT, date(2026, 3, 2)) in kinds_open(at(2026, 3, 2, 16, 0))
    assert (Kind.STAY_TONIGHT, date(2026, 3, 2)) in kinds_open(at(2026, 3, 2, 23, 55))
    assert not any(k == Kind.STAY_TONIGHT for k, _ in kinds_open(at(2026, 3, 3, 0, 5))
                   if _ == date(2026, 3, 2))


def test_missing_checkin_opens_at_2130_and_lasts_until_the_night_ends_next_morning():
    night = date(2026, 3, 2)
    assert (Kind.CHECKIN_MISSING, night) not in kinds_open(at(2026, 3, 2, 21, 29))
    assert (Kind.CHECKIN_MISSING, night) in kinds_open(at(2026, 3, 2, 21, 30))
    assert (Kind.CHECKIN_MISSING, night) in kinds_open(at(2026, 3, 3, 1, 59))
    assert (Kind.CHECKIN_MISSING, night) not in kinds_open(at(2026, 3, 3, 2, 0))


def test_no_visit_reminder_is_about_last_night_from_0900():
    assert (Kind.NO_VISIT_LOGGED, date(2026, 3, 2)) not in kinds_open(at(2026, 3, 3, 8, 59))
    assert (Kind.NO_VISIT_LOGGED, date(2026, 3, 2)) in kinds_open(at(2026, 3, 3, 9, 0))


def test_roster_gaps_open_thursday_1000_for_next_week_until_it_starts():
    # 2026-03-05 is a Thursday; next week starts Monday 2026-03-09.
    assert (Kind.ROSTER_GAPS, date(2026, 3, 9)) not in kinds_open(at(2026, 3, 5, 9, 59))
    assert (Kind.ROSTER_GAPS, date(2026, 3, 9)) in kinds_open(at(2026, 3, 5, 10, 0))
    assert (Kind.ROSTER_GAPS, date(2026, 3, 9)) in kinds_open(at(2026, 3, 8, 23, 0))
    assert not any(k == Kind.ROSTER_GAPS for k, _ in kinds_open(at(2026, 3, 9, 10, 0)))


def test_ties_reminder_is_weekly_on_monday():
    assert (Kind.TIES_INCOMPLETE, date(2026, 3, 2)) in kinds_open(at(2026, 3, 2, 9, 0))
    assert (Kind.TIES_INCOMPLETE, date(2026, 3, 2)) in kinds_open(at(2026, 3, 4, 9, 0))
    assert (Kind.TIES_INCOMPLETE, date(2026, 3, 2)) not in kinds_open(at(2026, 3, 2, 8, 59))


def test_a_sweep_at_1600_on_a_monday_runs_exactly_the_open_sweeps():
    assert {k for k, _ in kinds_open(at(2026, 3, 2, 16, 0))} == {
        Kind.STAY_TONIGHT, Kind.NO_VISIT_LOGGED, Kind.PROBLEM_OVERDUE, Kind.TIES_INCOMPLETE,
        Kind.REVIEW_MEETING}


def test_times_come_from_settings():
    cfg = Config.build(tz="Asia/Shanghai", times={Kind.STAY_TONIGHT: "15:00"})
    assert any(o.kind == Kind.STAY_TONIGHT for o in open_occasions(at(2026, 3, 2, 15, 0), cfg))


def test_quiet_hours_span_midnight():
    start, end = time(22), time(7)
    assert in_quiet_hours(at(2026, 3, 2, 22, 0), start, end, TZ)
    assert in_quiet_hours(at(2026, 3, 3, 6, 59), start, end, TZ)
    assert not in_quiet_hours(at(2026, 3, 3, 7, 0), start, end, TZ)
    assert not in_quiet_hours(at(2026, 3, 2, 21, 59), start, end, TZ)


def test_sms_in_quiet_hours_waits_until_they_end_unless_urgent():
    late = at(2026, 3, 2, 23, 0)
    assert sms_not_before(late, start=time(22), end=time(7), tz=TZ, urgent=False) == at(2026, 3, 3, 7)
    assert sms_not_before(late, start=time(22), end=time(7), tz=TZ, urgent=True) == late
    early = at(2026, 3, 3, 5, 0)
    assert sms_not_before(early, start=time(22), end=time(7), tz=TZ, urgent=False) == at(2026, 3, 3, 7)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
       st.integers(0, 23), st.integers(0, 23), st.booleans())
def test_an_sms_is_never_due_inside_quiet_hours_unless_urgent(naive, h1, h2, urgent):
    moment = naive.replace(tzinfo=TZ)
    start, end = time(h1), time(h2)
    due = sms_not_before(moment, start=start, end=end, tz=TZ, urgent=urgent)
    assert due >= moment
    if not urgent:
        assert not in_quiet_hours(due, start, end, TZ)


def test_parse_hhmm():
    assert parse_hhmm("21:30") == time(21, 30)
