"""Pure rules of time in the night log: the 48-hour windows for writing and correcting a
visit, the late-entry (补记) limit, quarters and weeks of a dashboard. No ORM, no settings:
values in, values out. Which night a moment belongs to is ``residency.nights.night_of`` (one
rule for every app)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

WRITE_WINDOW = timedelta(hours=48)  # written within it: a normal entry; later: 补记
EDIT_WINDOW = timedelta(hours=48)
LATE_ENTRY_DAYS = 7  # default of settings.VISIT_LATE_ENTRY_DAYS


def write_refusal(visited_at: datetime, now: datetime,
                  late_days: int = LATE_ENTRY_DAYS) -> str | None:
    """Why a visit at ``visited_at`` cannot be written at ``now`` by the cadre alone, or
    None: ``"future"``, or ``"needs_approval"`` when it is more than ``late_days`` days old
    (the township admin must approve it)."""
    if visited_at > now:
        return "future"
    if now - visited_at > timedelta(days=late_days):
        return "needs_approval"
    return None


def is_late_entry(visited_at: datetime, now: datetime) -> bool:
    """补记: written more than 48 hours after the visit."""
    return now - visited_at > WRITE_WINDOW


def is_editable(created_at: datetime, now: datetime) -> bool:
    """A visit may be corrected for 48 hours after it was first saved; then it is frozen."""
    return now - created_at <= EDIT_WINDOW


def editable_until(created_at: datetime) -> datetime:
    return created_at + EDIT_WINDOW


def quarter_bounds(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s calendar quarter."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, end - timedelta(days=1)


def week_bounds(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2
