"""The statutory workday calendar used by the night-residence rule (DOMAIN.md, rule R1).

Pure module: plain dates in, plain values out, no Django.

A *workday night* is the night of a statutory workday: Monday to Friday, minus public
holidays, plus the weekend make-up workdays (调休). The data comes from the
``chinesecalendar`` package (``chinese_calendar.is_workday``), which covers 2004-2026 in
version 1.11.0 and raises ``NotImplementedError`` outside that range; there we fall back
to plain Monday-Friday and :func:`calendar_covers` lets the UI warn the admin to enter the
year's holidays as county overrides.

County overrides are a mapping ``date -> bool``: ``True`` makes the date a workday (it
must be covered), ``False`` makes it a non-workday. They always take precedence.

Note: never use ``chinese_calendar.get_workdays(..., include_weekends=False)``: it drops
the make-up workdays.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import chinese_calendar

__all__ = [
    "calendar_covers",
    "is_heavy_night",
    "is_workday",
    "week_nights",
]

_NO_OVERRIDES: Mapping[date, bool] = MappingProxyType({})


@lru_cache(maxsize=8192)
def _statutory_workday(d: date) -> bool:
    """Workday per the statutory calendar, Monday-Friday where the package has no data."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5


@lru_cache(maxsize=256)
def calendar_covers(year: int) -> bool:
    """True if the statutory calendar data covers ``year`` (else Monday-Friday is assumed)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(d: date, overrides: Mapping[date, bool] = _NO_OVERRIDES) -> bool:
    """True if the night of ``d`` must be covered: county override, else statutory calendar."""
    override = overrides.get(d)
    if override is not None:
        return bool(override)
    return _statutory_workday(d)


def week_nights(
    iso_year: int, iso_week: int, overrides: Mapping[date, bool] = _NO_OVERRIDES
) -> list[date]:
    """The workday nights (Monday..Sunday dates that are workdays) of an ISO week, in order."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    days = (monday + timedelta(days=i) for i in range(7))
    return [d for d in days if is_workday(d, overrides)]


def is_heavy_night(d: date, overrides: Mapping[date, bool] = _NO_OVERRIDES) -> bool:
    """A workday night that is a Friday or falls before a non-workday day.

    These are the "Friday nights and nights before a holiday" that the planner spreads
    fairly among a village's cadres.
    """
    if not is_workday(d, overrides):
        return False
    return d.weekday() == 4 or not is_workday(d + timedelta(days=1), overrides)
