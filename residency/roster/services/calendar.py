"""The workday calendar of a county: the statutory calendar (``residency.nights.workdays``) with
the county's single-date overrides (WorkdayOverride) taking precedence."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residency import audit
from residency.bounded_input import check_date
from residency.models import County, WorkdayOverride
from residency.nights import workdays


def county_overrides(*, county_id: int, start: date, end: date) -> dict[date, bool]:
    """The county's overrides for ``start..end`` (inclusive), one query."""
    return dict(WorkdayOverride.objects.filter(county_id=county_id, date__range=(start, end))
                .values_list("date", "is_workday"))


def iso_week_monday(iso_year: int, iso_week: int) -> date:
    return date.fromisocalendar(iso_year, iso_week, 1)


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


class WeekCalendar:
    """Workday and heavy-night facts for a span of dates of one county (no further queries)."""

    def __init__(self, *, county_id: int, start: date, end: date):
        # One day of margin on both sides: heavy nights look at the next day, and the
        # planner's boundary looks one night across the week.
        self.overrides = county_overrides(county_id=county_id, start=start - timedelta(days=1),
                                          end=end + timedelta(days=1))
        self.start, self.end = start, end

    def is_workday(self, d: date) -> bool:
        return workdays.is_workday(d, self.overrides)

    def is_heavy(self, d: date) -> bool:
        return workdays.is_heavy_night(d, self.overrides)

    def workday_nights(self, monday: date) -> list[date]:
        return [d for d in week_days(monday) if self.is_workday(d)]


def uncovered_years(*, years) -> list[int]:
    """Years for which the statutory calendar has no data (Monday-Friday is assumed)."""
    return sorted(y for y in set(years) if not workdays.calendar_covers(y))


def calendar_warning(*, years) -> str:
    """The admin warning for years the package does not cover, or ''."""
    missing = uncovered_years(years=years)
    if not missing:
        return ""
    return _("%(years)s 年的法定节假日数据尚未内置, 系统暂按周一至周五为工作日; "
             "请组织部在“工作日调整”中录入当年节假日和调休上班日。") % {
        "years": "、".join(str(y) for y in missing)}


@transaction.atomic
def workday_override_set(*, county: County, day: date, is_workday: bool, reason: str,
                         by=None) -> WorkdayOverride:
    """Create or change the county's override of one date."""
    check_date(day, field="date")
    override = WorkdayOverride.objects.select_for_update().filter(county=county, date=day).first()
    if override is None:
        override = WorkdayOverride(county=county, date=day)
    override.is_workday = is_workday
    override.reason = reason
    override.full_clean(validate_unique=False)
    override.save()
    audit.record("workday_override_set", obj=override, user=by, date=day.isoformat(),
                 is_workday=is_workday, reason=reason)
    return override


@transaction.atomic
def workday_override_delete(*, override: WorkdayOverride, by=None) -> None:
    if override.pk is None:
        raise ValidationError(_("该调整不存在。"))
    audit.record("workday_override_delete", obj=override, user=by,
                 date=override.date.isoformat())
    override.delete()
