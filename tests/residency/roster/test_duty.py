"""Who is on duty in village V on night N (one selector), and roster gaps: a week in which
the roster gave an active stationed cadre no night is the roster's gap, not his violation."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from residency.models import Station
from residency.roster.duty import duty_map, on_duty
from residency.roster.gaps import roster_gaps
from tests.residency.factories import make_cadre
from tests.residency.roster.factories import make_leave, make_stay, make_week

MONDAY = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture
def week(people, directory):
    week = make_week(directory["t1"], MONDAY, published=True)
    make_stay(week, people["cadre"], directory["v11"], MONDAY)
    make_stay(week, people["cadre_other"], directory["v11"], MONDAY + timedelta(days=1))
    return week


def test_on_duty_is_the_cadre_holding_the_published_stay(people, directory, week):
    assert on_duty(village_id=directory["v11"].pk, night=MONDAY) == [people["cadre"].pk]
    assert on_duty(village_id=directory["v12"].pk, night=MONDAY) == []


def test_a_draft_week_an_inactive_cadre_or_approved_leave_is_not_on_duty(people, directory, week):
    draft = make_week(directory["t1"], MONDAY + timedelta(days=7))
    make_stay(draft, people["cadre"], directory["v11"], MONDAY + timedelta(days=7))
    assert on_duty(village_id=directory["v11"].pk, night=MONDAY + timedelta(days=7)) == []
    make_leave(people["cadre"], MONDAY, MONDAY)
    assert on_duty(village_id=directory["v11"].pk, night=MONDAY) == []
    people["cadre_other"].active = False
    people["cadre_other"].save()
    assert on_duty(village_id=directory["v11"].pk, night=MONDAY + timedelta(days=1)) == []


def test_duty_map_answers_every_village_and_night_in_one_query(people, directory, week,
                                                               django_assert_num_queries):
    with django_assert_num_queries(1):
        found = duty_map(since=MONDAY, until=MONDAY + timedelta(days=6))
    assert found == {(directory["v11"].pk, MONDAY): frozenset({people["cadre"].pk}),
                     (directory["v11"].pk, MONDAY + timedelta(days=1)):
                         frozenset({people["cadre_other"].pk})}


def test_a_stationed_active_cadre_given_no_night_is_a_roster_gap(people, directory, week):
    idle = make_cadre(directory["v12"], username="idle")
    gaps = roster_gaps(since=MONDAY, until=MONDAY, township_ids=[directory["t1"].pk])
    assert [(g.cadre_id, g.week_start, g.nights) for g in gaps] == [(idle.pk, MONDAY, 0)]


def test_inactive_on_leave_all_week_or_not_yet_stationed_is_no_gap(people, directory, week):
    inactive = make_cadre(directory["v12"], username="gone")
    inactive.active = False
    inactive.save()
    away = make_cadre(directory["v12"], username="away")
    make_leave(away, MONDAY, MONDAY + timedelta(days=6))
    later = make_cadre(directory["v12"], username="later", start=MONDAY + timedelta(days=7))
    assert Station.objects.filter(cadre=later).exists()
    assert roster_gaps(since=MONDAY, until=MONDAY, township_ids=[directory["t1"].pk]) == []


def test_roster_gaps_cost_six_queries(people, directory, week, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        roster_gaps(since=MONDAY, until=date(2026, 12, 31))

