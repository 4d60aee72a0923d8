"""ISO week strings ("2026-W10") <-> Monday dates. Pure: no Django models."""
from __future__ import annotations

import re
from datetime import date, timedelta

_PATTERN = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
# Years a roster can be about; outside them a week's neighbours would overflow `date`.
MIN_YEAR, MAX_YEAR = 2000, 2100


class BadWeek(ValueError):
    """The week string is not a valid ISO week; the message is in Chinese."""


def parse_week(value: str) -> date:
    """'2026-W10' -> the Monday of that ISO week. Raises BadWeek with a Chinese message."""
    match = _PATTERN.match(value or "")
    if not match:
        raise BadWeek(f"周的格式应为 2026-W10 (年-W周), 收到: {value!r}")
    year, week = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadWeek(f"年份应在 {MIN_YEAR} 至 {MAX_YEAR} 之间, 收到: {year}")
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise BadWeek(f"{year} 年没有第 {week} 周 (ISO 周为 1 至 52 或 53)") from exc


def format_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
