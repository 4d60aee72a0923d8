"""Dashboards count only nights that have begun, name weeks by their dates and warn about
missing holiday data only for the years they show (issue 13, item 3)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from residency.roster import dashboards as dash
from residency.roster.selectors import last_begun_night
from residency.roster.services.calendar import uncovered_years
from tests.residency.roster.factories import make_stay, make_week

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)  # a week of five statutory workdays


def test_a_night_begins_when_its_check_in_window_opens():
    assert last_begun_night(datetime(2026, 3, 4, 16, 59, tzinfo=TZ)) == date(2026, 3, 3)
    assert last_begun_night(datetime(2026, 3, 4, 17, 0, tzinfo=TZ)) == date(2026, 3, 4)
    assert last_begun_night(datetime(2026, 3, 5, 1, 0, tzinfo=TZ)) == date(2026, 3, 4)


def test_check_ins_are_counted_out_of_the_nights_that_have_begun_not_the_whole_week(
        people, directory):
    t1 = directory["t1"]
    week = make_week(t1, MONDAY, published=True)
    for day in range(5):  # planned all week, checked in on Monday and Tuesday
        night = MONDAY + timedelta(days=day)
        make_stay(week, people["cadre"], directory["v11"], night,
                  checked_in_at=datetime.combine(night, datetime.min.time(), tzinfo=TZ)
                  + timedelta(hours=20) if day < 2 else None)
    wednesday_noon = date(2026, 3, 3)  # the last night begun on Wednesday at noon
    row = dash.township_coverage(townships=[t1], start=MONDAY, end=MONDAY + timedelta(days=6),
                                 until=wednesday_noon)[t1.pk]
    assert (row["checked"], row["begun"]) == (2, 2 * 2)  # 2 villages x Monday, Tuesday
    assert row["total"] == 2 * 5  # the week's coverage still plans every workday night


def test_the_county_table_shows_check_ins_out_of_begun_nights(client, people, directory):
    client.force_login(people["org_department"])
    response = client.get(reverse("residency:dashboard-county"))
    row = next(r for r in response.context["rows"] if r["township"] == directory["t1"])
    last = last_begun_night()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    from residency.nights.workdays import is_workday

    begun = sum(is_workday(monday + timedelta(days=i)) for i in range(7)
                if monday + timedelta(days=i) <= last)
    assert row["week"]["begun"] == begun * 2
    assert f'{row["week"]["checked"]}/{row["week"]["begun"]}' in response.content.decode()


def test_county_trend_weeks_are_named_by_their_dates_and_the_warning_is_only_for_years_shown(
        client, people, directory):
    t1 = directory["t1"]
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    week = make_week(t1, monday, published=True)
    make_stay(week, people["cadre"], directory["v11"], monday)
    client.force_login(people["org_department"])
    response = client.get(reverse("residency:dashboard-county"))
    labels = response.context["trend_labels"]
    assert labels and all("–" in label and "W" not in label for label in labels)
    shown = {monday.year, (monday + timedelta(days=6)).year}
    warned = bool(response.context["calendar_warning"])
    assert warned == bool(uncovered_years(years=shown))  # never next year's on this year's page


def test_the_township_week_is_named_by_its_dates_and_the_month_picker_stays_empty(
        client, people, directory):
    client.force_login(people["township_admin"])
    response = client.get(reverse("residency:dashboard-township"))
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    label = f"{monday:%m-%d}–{monday + timedelta(days=6):%m-%d}"
    html = response.content.decode()
    assert label in html and response.context["month_value"] == ""
    assert 'data-testid="checked"' in html
