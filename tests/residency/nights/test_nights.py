"""Which night a moment belongs to: one rule (residency.nights) for check-ins, visits
and spot checks, with the cut-off per activity from settings; and the one HH:MM parser."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from residency.nights import cutoff, night_of
from residency.nights.clock import night_of_local, parse_hhmm

END = time(2, 0)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_visit_at_half_past_midnight_belongs_to_the_previous_night():
    assert night_of_local(datetime(2026, 3, 10, 0, 30), END) == date(2026, 3, 9)


def test_a_visit_in_the_evening_belongs_to_that_night():
    assert night_of_local(datetime(2026, 3, 10, 21, 0), END) == date(2026, 3, 10)


def test_the_window_end_itself_starts_the_new_day():
    assert night_of_local(datetime(2026, 3, 10, 2, 0), END) == date(2026, 3, 10)


def test_hh_mm_is_parsed_once_for_every_app_and_24_00_is_midnight():
    assert parse_hhmm("03:30") == time(3, 30)
    assert parse_hhmm(" 21:05 ") == time(21, 5)
    assert parse_hhmm("24:00") == time(0, 0)
    assert parse_hhmm(time(7, 0)) == time(7, 0)


@pytest.mark.parametrize("bad", ["nonsense", "", None, "7", "25:00", "12:60"])
def test_a_malformed_hh_mm_is_refused(bad):
    with pytest.raises(ValueError):
        parse_hhmm(bad)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_a_night_is_the_same_day_or_the_day_before(moment):
    night = night_of_local(moment, END)
    assert night in (moment.date(), moment.date() - timedelta(days=1))


def test_cut_offs_per_activity_come_from_settings(settings):
    settings.CHECKIN_WINDOW_START, settings.CHECKIN_WINDOW_END = "17:00", "02:00"
    settings.SPOT_CHECK_NIGHT_CUTOFF = "12:00"
    assert cutoff("checkin") == cutoff("visit") == time(2, 0)
    assert cutoff("spot_check") == time(12, 0)
    with pytest.raises(ValueError):
        cutoff("lunch")


def test_a_window_that_ends_before_midnight_puts_every_moment_on_its_own_day(settings):
    settings.CHECKIN_WINDOW_START, settings.CHECKIN_WINDOW_END = "17:00", "24:00"
    assert cutoff("checkin") == time(0, 0)
    moment = datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI)
    assert night_of(moment, activity="checkin") == date(2026, 3, 10)


def test_a_morning_spot_check_verifies_the_night_before_but_a_check_in_does_not(settings):
    settings.CHECKIN_WINDOW_START, settings.CHECKIN_WINDOW_END = "17:00", "02:00"
    settings.SPOT_CHECK_NIGHT_CUTOFF = "12:00"
    morning = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert night_of(morning, activity="spot_check") == date(2026, 3, 9)
    assert night_of(morning, activity="checkin") == date(2026, 3, 10)
    assert night_of(morning, activity="visit") == date(2026, 3, 10)
