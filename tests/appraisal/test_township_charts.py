"""The township admin's home gets the charts: the last 12 weeks' coverage and check-in
trend, this week's check-ins out of the nights begun, visits by category, open problems."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from appraisal.statistics import Span, township_charts
from tests.appraisal.factories import make_stay
from tests.nightlog.factories import make_problem, make_visit

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
WEDNESDAY_NOON = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)


def test_twelve_weeks_end_with_this_one():
    span = Span.last_weeks(date(2026, 3, 4))
    assert (span.start, span.end) == (date(2025, 12, 15), date(2026, 3, 8))


def test_this_weeks_check_ins_count_only_nights_that_have_begun(people, directory, households):
    for day in (2, 3, 4, 5):
        make_stay(people["cadre"], directory["v11"], date(2026, 3, day), checked_in=day == 2)
    make_problem(make_visit(people["cadre"], households["h11"],
                            visited_at=datetime(2026, 3, 2, 20, tzinfo=TZ)),
                 due_date=date(2026, 3, 1))
    charts = township_charts(township_id=directory["t1"].pk, now=WEDNESDAY_NOON)
    assert charts.week["label"] == "03-02–03-08"
    assert (charts.week["checked"], charts.week["stayed"], charts.week["required"]) == (1, 2, 4)
    assert len(charts.stats.weeks) == 12
    assert (charts.open_problems, charts.overdue_problems) == (1, 1)
    categories = dict(zip(*[charts.stats.chart_data()[k] for k in ("category_labels",
                                                                   "category_counts")],
                          strict=True))
    assert categories["困难户"] == 1


def test_the_township_admin_home_shows_the_charts_card(client, people):
    client.force_login(people["township_admin"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="township-charts"' in html and 'id="statistics-data"' in html
    assert "js/statistics.js" in html and "<script>" not in html


def test_other_roles_do_not_get_the_card(client, people):
    client.force_login(people["org_department"])
    assert 'data-testid="township-charts"' not in client.get(reverse("home")).content.decode()


def test_the_card_costs_the_same_whatever_the_data(people, directory, households,
                                                  django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        township_charts(township_id=directory["t1"].pk, now=WEDNESDAY_NOON)
    for day in range(1, 28):
        night = date(2026, 2, 1) + timedelta(days=day)
        make_stay(people["cadre"], directory["v11"], night, checked_in=True)
        make_visit(people["cadre"], households["h11"],
                   visited_at=datetime.combine(night, datetime.min.time(), tzinfo=TZ)
                   + timedelta(hours=20))
    with django_assert_max_num_queries(len(few.captured_queries)):
        township_charts(township_id=directory["t1"].pk, now=WEDNESDAY_NOON)
