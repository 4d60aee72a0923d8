"""Pure rules of the clock: "HH:MM" values and which night a local moment belongs to.
No ORM, no settings: values in, values out."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

MIDNIGHT = time(0, 0)


def parse_hhmm(value: str | time) -> time:
    """``"02:00"`` -> ``time(2, 0)``. ``"24:00"`` (the end of the day) -> ``time(0, 0)``.
    A ``time`` passes through. Raises ValueError on anything else."""
    if isinstance(value, time):
        return value
    try:
        hours, minutes = (int(x) for x in str(value).strip().split(":"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected HH:MM, got {value!r}") from exc
    if (hours, minutes) == (24, 0):
        return MIDNIGHT
    return time(hours, minutes)


def night_of_local(local_moment: datetime, cutoff: time) -> date:
    """The night a local moment belongs to: before ``cutoff`` in the morning it still
    belongs to the previous evening's night (``cutoff`` 00:00: always the same day)."""
    if local_moment.time() < cutoff:
        return local_moment.date() - timedelta(days=1)
    return local_moment.date()
