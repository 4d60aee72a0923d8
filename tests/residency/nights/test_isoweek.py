"""ISO week strings: pure parsing, with a Chinese message for every bad value."""
from __future__ import annotations

from datetime import date

import pytest

from residency.nights.isoweek import BadWeek, format_week, parse_week


def test_a_week_string_parses_to_its_monday_and_back() -> None:
    assert parse_week("2026-W10") == date(2026, 3, 2)
    assert format_week(date(2026, 3, 2)) == "2026-W10"


@pytest.mark.parametrize("value", ["", "bad", "2026-W00", "2026-W54", "2025-W53"])
def test_a_malformed_or_missing_week_is_refused_in_chinese(value: str) -> None:
    with pytest.raises(BadWeek, match="周"):
        parse_week(value)


@pytest.mark.parametrize("value", ["0000-W01", "0001-W01", "1999-W52", "2101-W01", "9999-W52"])
def test_a_week_outside_2000_to_2100_is_refused_before_its_neighbours_overflow(value: str) -> None:
    with pytest.raises(BadWeek, match="年份应在 2000 至 2100 之间"):
        parse_week(value)
