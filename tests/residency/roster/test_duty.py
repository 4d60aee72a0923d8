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



# --- One selector for every reader: the planner, incidents, reminders, roster gaps and the
# review meeting's cadre list all ask residency.roster.duty. -------------------------------

def test_a_stay_before_the_station_starts_is_on_nobodys_duty(people, directory, week):
    later = make_cadre(directory["v11"], username="later", start=MONDAY + timedelta(days=2))
    make_stay(week, later, directory["v11"], MONDAY)
    make_stay(week, later, directory["v11"], MONDAY + timedelta(days=2))
    assert later.pk not in on_duty(village_id=directory["v11"].pk, night=MONDAY)
    assert later.pk in on_duty(village_id=directory["v11"].pk, night=MONDAY + timedelta(days=2))


def test_the_planner_plans_exactly_the_cadres_the_duty_selector_stations(people, directory, week):
    from residency.roster.duty import duty_stations
    from residency.roster.services.planning import week_stations

    gone = make_cadre(directory["v11"], username="gone")
    gone.active = False
    gone.save()
    later = make_cadre(directory["v11"], username="later", start=MONDAY + timedelta(days=7))
    sunday = MONDAY + timedelta(days=6)
    nights = [MONDAY + timedelta(days=i) for i in range(5)]
    planned = {cid for cid, _n, _v, _off in week_stations(
        township=directory["t1"], nights=nights, monday=MONDAY, sunday=sunday)}
    stationed = set(duty_stations(since=MONDAY, until=sunday, township_ids=[directory["t1"].pk])
                    .values_list("cadre_id", flat=True))
    assert planned == stationed
    assert gone.pk not in planned and later.pk not in planned
    assert people["cadre"].pk in planned


def test_the_review_meeting_lists_the_cadres_stationed_in_its_village_that_year(people, directory):
    from appraisal.selectors.meetings import meeting_cadres, meeting_list
    from residency.access.scoping import build_scope
    from tests.appraisal.factories import make_meeting

    earlier = make_cadre(directory["v11"], username="earlier", start=date(2025, 3, 1))
    Station.objects.filter(cadre=earlier).update(end=date(2025, 12, 31))
    moved_in = make_cadre(directory["v11"], username="moved_in", start=date(2026, 11, 1))
    retired = make_cadre(directory["v11"], username="retired", start=date(2026, 1, 1))
    retired.active = False
    retired.save()
    meeting = make_meeting(directory["v11"], year=2026)
    listed = set(meeting_cadres(meeting=meeting).values_list("pk", flat=True))
    assert moved_in.pk in listed and retired.pk in listed and people["cadre"].pk in listed
    assert earlier.pk not in listed
    assert meeting in meeting_list(scope=build_scope(moved_in.user))
    assert meeting not in meeting_list(scope=build_scope(earlier.user))


def test_every_reader_of_duty_imports_the_one_selector():
    import ast
    from pathlib import Path

    readers = ["residency/roster/services/planning.py", "residency/roster/gaps.py",
               "appraisal/selectors/meetings.py", "appraisal/sources.py",
               "notifications/rules/roster.py"]
    root = Path(__file__).resolve().parents[3]
    for path in readers:
        tree = ast.parse((root / path).read_text())
        names = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                 for a in n.names}
        assert ("residency.roster", "duty") in names or any(
            m == "residency.roster.duty" for m, _a in names), path
