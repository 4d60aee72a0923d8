"""Bounds on what a user can type or put in a URL: the one place for them.

Every date lies between ``EARLIEST_DATE`` and ``LATEST_DATE`` (a form may narrow that where
the domain says so: leave within a year of today, a meeting in its review year); ids from a
query string are positive ASCII integers that fit a bigint; free text has a maximum length.
Out-of-range input is a form error in Chinese, never an overflow deep in a query (a 500).
"""
from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_DATE.year, LATEST_DATE.year
MAX_ID = 2**63 - 1  # BigAutoField

# Maximum lengths of free text (characters). A note field holds a few pages at most.
SHORT_TEXT_MAX = 200
NOTE_MAX = 4000
LONG_TEXT_MAX = 20000


def date_error(value: date, *, earliest: date = EARLIEST_DATE,
               latest: date = LATEST_DATE) -> ValidationError | None:
    """The Chinese error for a date outside [earliest, latest], else None."""
    if earliest <= value <= latest:
        return None
    return ValidationError(
        _("日期应在 %(earliest)s 至 %(latest)s 之间。"), code="date_out_of_range",
        params={"earliest": earliest.isoformat(), "latest": latest.isoformat()})


def check_date(value: date, *, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE,
               field: str | None = None) -> None:
    """Raise the Chinese ValidationError (on ``field`` if given) for an out-of-range date;
    services call this so that a date refused by a form is refused without the form too."""
    error = date_error(value, earliest=earliest, latest=latest)
    if error is not None:
        raise ValidationError({field: error}) if field else error


def days_from_today(days: int):
    """A bound that moves with the calendar: ``days`` after today (before, if negative)."""
    from datetime import timedelta

    return lambda: timezone.localdate() + timedelta(days=days)


# Leave is requested and approved around now: no more than a year back or ahead.
LEAVE_EARLIEST = days_from_today(-366)
LEAVE_LATEST = days_from_today(366)
# A roster is planned at most a year ahead.
ROSTER_LATEST = days_from_today(366)


def check_leave_dates(start: date, end: date) -> None:
    for value, field in ((start, "start"), (end, "end")):
        check_date(value, earliest=LEAVE_EARLIEST(), latest=LEAVE_LATEST(), field=field)


def check_roster_week(monday: date) -> None:
    """A roster week lies between 2000 and a year from today."""
    check_date(monday, latest=ROSTER_LATEST())


def year_in_bounds(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


SEARCH_MAX = 100


def text_param(request, name: str, max_length: int = SEARCH_MAX) -> str:
    """A free-text query-string value (a search, a status filter) fit for a query: without
    NUL characters (PostgreSQL refuses them), stripped and cut to ``max_length``."""
    raw = request.GET.get(name, "")
    return raw.replace("\x00", "").strip()[:max_length]


def parse_id(raw) -> int | None:
    """A database id from user input (ASCII digits, 1 .. MAX_ID), else None."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def parse_year(raw) -> int | None:
    """A year from user input within the bounds, else None."""
    value = parse_id(raw if isinstance(raw, str) else str(raw) if raw is not None else None)
    return value if value is not None and year_in_bounds(value) else None


class _Bounds:
    """Both ends may be dates or callables returning a date (evaluated at validation, so
    "within a year of today" moves with the calendar)."""

    def __init__(self, earliest, latest):
        self.earliest, self.latest = earliest, latest

    def resolve(self) -> tuple[date, date]:
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        return max(earliest, EARLIEST_DATE), min(latest, LATEST_DATE)


class _PickerBounds:
    """Gives the bounds to the browser's picker (``min``/``max``), recomputed for every form
    instance (fields are deep-copied per form), so a bound that moves with the calendar is
    never stale in a long-running process."""

    picker_format = "%Y-%m-%d"

    def _picker_attrs(self) -> dict:
        earliest, latest = self.bounds.resolve()
        return {"min": datetime.combine(earliest, time(0, 0)).strftime(self.picker_format),
                "max": datetime.combine(latest, time(23, 59)).strftime(self.picker_format)}

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), **self._picker_attrs()}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.attrs.update(result._picker_attrs())
        return result


class BoundedDateField(_PickerBounds, forms.DateField):
    """A date field that refuses dates outside [earliest, latest] (at most 2000-01-01 to
    2100-12-31), with the bounds also given to the browser's date picker."""

    default_error_messages = {"invalid": _("请输入有效的日期,格式为 YYYY-MM-DD。")}

    def __init__(self, *, earliest=EARLIEST_DATE, latest=LATEST_DATE, **kwargs):
        self.bounds = _Bounds(earliest, latest)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            earliest, latest = self.bounds.resolve()
            check_date(value, earliest=earliest, latest=latest)


class BoundedDateTimeField(_PickerBounds, forms.DateTimeField):
    """A date-time field whose local date lies within the bounds."""

    default_error_messages = {"invalid": _("请输入有效的日期和时间。")}
    picker_format = "%Y-%m-%dT%H:%M"

    def __init__(self, *, earliest=EARLIEST_DATE, latest=LATEST_DATE, **kwargs):
        self.bounds = _Bounds(earliest, latest)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:  # year 9999 + a time zone overflows
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        if value is not None:
            earliest, latest = self.bounds.resolve()
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            check_date(local.date(), earliest=earliest, latest=latest)
