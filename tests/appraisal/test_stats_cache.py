"""考核统计与报表 is cached: a second view reads no appraisal rows; a write to a finding,
an appeal, a grade, a ballot or a station refreshes it at once; 重新统计 recomputes; the
page says when its figures were computed."""
from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from appraisal.models import Appraisal
from tests.appraisal.factories import make_violation
from tests.residency.factories import make_cadre

pytestmark = pytest.mark.django_db
YEAR = 2026
URL = reverse("appraisal:report-stats") + f"?year={YEAR}"


@pytest.fixture
def org(client, people):
    client.force_login(people["org_department"])
    return client


def test_the_second_view_is_served_from_the_cache(org, django_assert_max_num_queries):
    first = org.get(URL)
    assert first.status_code == 200
    with django_assert_max_num_queries(8):  # session, user, role, scope, badge: no appraisal row
        second = org.get(URL)
    assert second.context["stats"] == first.context["stats"]
    assert second.context["computed_at"] == first.context["computed_at"]
    assert "统计时间" in second.content.decode()


def test_a_confirmed_finding_or_a_grade_shows_at_once(org, people):
    before = org.get(URL).context["stats"]
    make_violation(people["cadre"], date(YEAR, 3, 3))
    after = org.get(URL).context["stats"]
    assert sum(after["violations_by_month"]) == sum(before["violations_by_month"]) + 1
    Appraisal.objects.create(cadre=people["cadre"], year=YEAR, final_grade="competent",
                             set_by=people["org_department"])
    assert sum(org.get(URL).context["stats"]["final"]) == sum(after["final"]) + 1


def test_a_new_cadre_shows_at_once_and_refresh_recomputes(org, directory, people):
    before = org.get(URL).context["stats"]["cadres"]
    make_cadre(directory["v11"], username="newcomer", start=date(YEAR, 2, 1))
    assert org.get(URL).context["stats"]["cadres"] == before + 1
    first_time = org.get(URL).context["computed_at"]
    assert org.get(URL + "&refresh=1").context["computed_at"] > first_time


def test_scopes_do_not_share_figures(client, directory, people):
    client.force_login(people["province_viewer"])
    one = client.get(URL).context["stats"]["cadres"]
    other = client.get(URL + f"&county={directory['county'].pk}").context["stats"]["cadres"]
    assert (one, other) == (1, 2)
