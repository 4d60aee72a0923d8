"""Rule R1's calendar: statutory workdays with make-up days, county overrides, fallback."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from residency.nights.workdays import calendar_covers, is_heavy_night, is_workday, week_nights

MAKE_UP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]


@pytest.mark.parametrize("day", MAKE_UP_2026)
def test_2026_weekend_make_up_days_are_workdays(day: date) -> None:
    assert day.weekday() >= 5
    assert is_workday(day)


def test_2026_has_exactly_these_weekend_workdays() -> None:
    day, found = date(2026, 1, 1), []
    while day.year == 2026:
        if day.weekday() >= 5 and is_workday(day):
            found.append(day)
        day += timedelta(days=1)
    assert found == MAKE_UP_2026


@pytest.mark.parametrize(
    "holiday", [date(2026, 1, 1), date(2026, 2, 17), date(2026, 10, 1), date(2026, 10, 7)]
)
def test_public_holidays_on_weekdays_are_not_workdays(holiday: date) -> None:
    assert holiday.weekday() < 5
    assert not is_workday(holiday)


def test_spring_festival_week_2026_w07_has_six_nights_including_saturday_make_up() -> None:
    nights = week_nights(2026, 7)
    assert len(nights) == 6
    assert nights[0] == date(2026, 2, 9)
    assert nights[-1] == date(2026, 2, 14)


def test_spring_festival_week_2026_w08_has_no_workday_night() -> None:
    assert week_nights(2026, 8) == []


def test_national_day_weeks_2026_w40_and_w41() -> None:
    assert week_nights(2026, 40) == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30)]
    assert week_nights(2026, 41) == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]


def test_week_with_sunday_make_up_ends_on_sunday() -> None:
    assert week_nights(2026, 38)[-1] == date(2026, 9, 20)


def test_county_override_true_makes_a_weekend_a_workday() -> None:
    sunday = date(2026, 3, 8)
    assert not is_workday(sunday)
    assert is_workday(sunday, {sunday: True})
    assert sunday in week_nights(2026, 10, {sunday: True})


def test_county_override_false_removes_a_workday() -> None:
    monday = date(2026, 3, 2)
    assert is_workday(monday)
    assert not is_workday(monday, {monday: False})
    assert monday not in week_nights(2026, 10, {monday: False})


def test_override_beats_statutory_make_up_day() -> None:
    assert not is_workday(date(2026, 2, 14), {date(2026, 2, 14): False})


def test_calendar_covers_2026_but_not_2027() -> None:
    assert calendar_covers(2026)
    assert not calendar_covers(2027)


def test_uncovered_year_falls_back_to_monday_to_friday() -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))
    nights = week_nights(2027, 1)
    assert [d.weekday() for d in nights] == [0, 1, 2, 3, 4]
    assert not is_workday(date(2027, 1, 2))


def test_uncovered_year_still_honours_overrides() -> None:
    new_year = date(2027, 1, 1)
    assert is_workday(new_year)
    assert not is_workday(new_year, {new_year: False})


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_workday_agrees_with_statutory_calendar_where_covered(day: date) -> None:
    assert is_workday(day) == chinese_calendar.is_workday(day)


@given(st.integers(min_value=2004, max_value=2030), st.integers(min_value=1, max_value=52))
def test_week_nights_are_the_workdays_of_that_iso_week(year: int, week: int) -> None:
    nights = week_nights(year, week)
    monday = date.fromisocalendar(year, week, 1)
    days = [monday + timedelta(days=i) for i in range(7)]
    assert nights == [d for d in days if is_workday(d)]


def test_friday_workday_night_is_heavy() -> None:
    assert is_heavy_night(date(2026, 3, 6))
    assert not is_heavy_night(date(2026, 3, 5))


def test_night_before_holiday_is_heavy() -> None:
    assert is_heavy_night(date(2026, 9, 30))  # Wednesday before National Day
    assert is_heavy_night(date(2026, 2, 14))  # make-up Saturday before Spring Festival


def test_non_workday_is_never_heavy() -> None:
    assert not is_heavy_night(date(2026, 10, 2))
    assert not is_heavy_night(date(2026, 3, 7))


def test_sunday_make_up_followed_by_workday_is_not_heavy() -> None:
    assert not is_heavy_night(date(2026, 9, 20))


def test_override_can_make_a_night_heavy() -> None:
    thursday = date(2026, 3, 12)
    assert not is_heavy_night(thursday)
    assert is_heavy_night(thursday, {date(2026, 3, 13): False})
