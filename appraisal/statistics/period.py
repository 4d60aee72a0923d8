"""A statistics period: one month (``2026-11``) or one calendar year (``2026``). Pure."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2}))?$")  # ASCII digits only


class PeriodError(ValueError):
    """The text is not a month (YYYY-MM) or a year (YYYY) between 2000 and 2100."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match((text or "").strip())
        if not match:
            raise PeriodError(_("统计期间格式应为 YYYY-MM(某月)或 YYYY(全年),如 2026-11 或 2026。"))
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
            raise PeriodError(_("统计期间无效: %(text)s") % {"text": text})
        return cls(year=year, month=month)

    @classmethod
    def month_of(cls, day: date) -> Period:
        return cls(year=day.year, month=day.month)

    @property
    def is_year(self) -> bool:
        return self.month is None

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def code(self) -> str:
        return str(self.year) if self.month is None else f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        if self.month is None:
            return _("%(y)s年") % {"y": self.year}
        return _("%(y)s年%(m)s月") % {"y": self.year, "m": self.month}

    def previous(self) -> Period:
        if self.month is None:
            return Period(self.year - 1)
        return Period.month_of(self.start - timedelta(days=1))

    def next(self) -> Period:
        if self.month is None:
            return Period(self.year + 1)
        return Period.month_of(self.end + timedelta(days=1))


@dataclass(frozen=True)
class Span:
    """Any run of dates (a dashboard's last 12 weeks); the statistics read only start/end."""

    start: date
    end: date

    @classmethod
    def last_weeks(cls, today: date, weeks: int = 12) -> Span:
        """The ``weeks`` ISO weeks ending with this one (Monday to Sunday)."""
        monday = today - timedelta(days=today.weekday())
        return cls(start=monday - timedelta(weeks=weeks - 1), end=monday + timedelta(days=6))

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def week_label(monday: date, first: date, last: date) -> str:
    """A week named by the dates it covers inside [first, last]: ``11-30–12-06``."""
    a, b = max(monday, first), min(monday + timedelta(days=6), last)
    return f"{a:%m-%d}–{b:%m-%d}"
