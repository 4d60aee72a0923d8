"""Pure rules of time in the night log: the 48-hour windows, quarters and weeks."""
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nightlog.nights import (
    is_editable,
    is_late_entry,
    median,
    quarter_bounds,
    week_bounds,
    write_refusal,
)

NOW = datetime(2026, 3, 10, 12, 0)


def test_a_visit_in_the_future_is_refused():
    assert write_refusal(NOW + timedelta(minutes=1), NOW) == "future"


def test_a_visit_up_to_7_days_old_is_written_by_the_cadre_alone_older_needs_approval():
    assert write_refusal(NOW - timedelta(hours=48, minutes=1), NOW) is None
    assert write_refusal(NOW - timedelta(days=7), NOW) is None
    assert write_refusal(NOW - timedelta(days=7, minutes=1), NOW) == "needs_approval"
    assert write_refusal(NOW - timedelta(days=3, minutes=1), NOW, late_days=3) == "needs_approval"


def test_a_visit_written_more_than_48_hours_after_it_is_a_late_entry():
    assert not is_late_entry(NOW - timedelta(hours=48), NOW)
    assert is_late_entry(NOW - timedelta(hours=48, minutes=1), NOW)


def test_a_visit_is_editable_for_48_hours_after_creation_then_frozen():
    assert is_editable(NOW - timedelta(hours=47, minutes=59), NOW)
    assert not is_editable(NOW - timedelta(hours=48, seconds=1), NOW)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_the_quarter_holds_the_day_and_has_three_months(day):
    start, end = quarter_bounds(day)
    assert start <= day <= end and start.day == 1 and start.month in (1, 4, 7, 10)
    assert (end + timedelta(days=1)).day == 1 and 89 <= (end - start).days <= 91


def test_week_bounds_run_monday_to_sunday():
    assert week_bounds(date(2026, 3, 12)) == (date(2026, 3, 9), date(2026, 3, 15))


def test_median_of_even_and_odd_lists():
    assert median([]) is None
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
