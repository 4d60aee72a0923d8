"""Selectors: cadre_year_stats (the appraisal contract), coverage, the night log."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from nightlog import selectors
from tests.nightlog.factories import aware, link, make_problem, make_stay, make_visit
from tests.residency.factories import make_household

pytestmark = pytest.mark.django_db


def test_cadre_year_stats_counts_what_the_appraisal_needs(people, directory, households,
                                                          django_assert_num_queries):
    cadre = people["cadre"]
    h_must = households["h11"]
    h_plain = make_household(directory["v11"], head="普通户")
    h_must2 = make_household(directory["v11"], head="大户", categories=["large_farm"])
    for h in (h_must, h_plain, h_must2):
        link(cadre, h, since=date(2025, 6, 1))
    link(cadre, make_household(directory["v11"], head="旧户", categories=["hardship"]),
         since=date(2024, 1, 1), until=date(2024, 12, 31))  # not in 2025
    v1 = make_visit(cadre, h_must, visited_at=aware(2025, 3, 1))
    make_visit(cadre, h_must, visited_at=aware(2025, 4, 1))
    make_visit(cadre, h_plain, visited_at=aware(2025, 5, 1))
    make_visit(cadre, h_must2, visited_at=aware(2024, 12, 31, 10))  # another year
    make_problem(v1, created_at=aware(2025, 3, 1, 21), status="confirmed",
                 resolved_at=aware(2025, 3, 5))
    make_problem(v1, created_at=aware(2025, 3, 1, 21), status="raised")
    with django_assert_num_queries(3):
        stats = selectors.cadre_year_stats(cadre_ids=[cadre.pk, people["cadre_other"].pk],
                                           year=2025)
    assert stats[cadre.pk] == {"visits": 3, "late_visits": 0, "linked_households": 3,
                               "must_visit_households": 2,
                               "must_visit_visited": 1, "problems_raised": 2,
                               "problems_resolved": 1}
    assert stats[people["cadre_other"].pk]["visits"] == 0


def test_cadre_year_stats_costs_three_queries_for_any_number_of_cadres(people, directory,
                                                                       django_assert_num_queries):
    ids = [people[k].pk for k in ("cadre", "cadre_other", "cadre_far")]
    with django_assert_num_queries(3):
        selectors.cadre_year_stats(cadre_ids=ids, year=2026)
    assert selectors.cadre_year_stats(cadre_ids=[], year=2026) == {}


def test_coverage_per_category_and_per_cadre_with_last_visit(people, directory, households,
                                                            django_assert_num_queries):
    v11 = directory["v11"]
    a = households["h11"]  # hardship
    b = make_household(v11, head="乙", categories=["hardship", "large_farm"])
    c = make_household(v11, head="丙", categories=["key_person"])
    make_household(v11, head="丁", categories=[])  # not must-visit
    link(people["cadre"], a)
    link(people["cadre"], b)
    make_visit(people["cadre"], a, visited_at=aware(2026, 2, 10))
    make_visit(people["cadre"], c, visited_at=aware(2025, 12, 1))  # before the period
    with django_assert_num_queries(2):
        cov = selectors.coverage(village_ids=[v11.pk], since=date(2026, 1, 1), until=date(2026, 3, 31))
    assert (cov.total.total, cov.total.covered) == (3, 1)
    by_cat = {r.label: (r.total, r.covered) for r in cov.by_category}
    assert by_cat["困难户"] == (2, 1) and by_cat["重点人员户"] == (1, 0)
    by_cadre = {r.label: (r.total, r.covered, r.share) for r in cov.by_cadre}
    assert by_cadre[people["cadre"].name] == (2, 1, 50) and by_cadre["—"] == (1, 0, 0)
    last = {h.head: (h.last_visit_at, h.last_visit_by) for h in cov.households}
    assert last["丙"][1] == people["cadre"].name and last["乙"] == (None, None)


def test_the_night_log_groups_by_night_with_after_midnight_visits_on_the_evening_before(
        people, directory, households):
    night = date(2026, 3, 9)
    stay = make_stay(people["cadre"], directory["v11"], night, checked_in=True)
    make_visit(people["cadre"], households["h11"], visited_at=aware(2026, 3, 9, 20), stay=stay)
    make_visit(people["cadre"], households["h11"], visited_at=aware(2026, 3, 10, 0, 30), stay=stay)
    make_visit(people["cadre"], households["h11"], visited_at=aware(2026, 3, 10, 20))
    nights = selectors.night_log(cadre_id=people["cadre"].pk, since=date(2026, 3, 1),
                                 until=date(2026, 3, 31))
    assert [n.night for n in nights] == [date(2026, 3, 10), night]
    assert len(nights[1].visits) == 2 and nights[1].stay == stay


def test_the_township_dashboard_figures(people, directory, households):
    v = make_visit(people["cadre"], households["h11"])
    make_problem(v, status="resolved", created_at=timezone.now() - timedelta(days=4),
                 resolved_at=timezone.now() - timedelta(days=2))
    make_problem(v, status="raised", due_date=timezone.localdate() - timedelta(days=1))
    data = selectors.township_dashboard(township_id=directory["t1"].pk)
    assert data["problems"]["rate"] == 50 and data["problems"]["median_days"] == 2.0
    assert len(data["overdue"]) == 1
    assert {c.pk for c in data["cadres_below"]} == {people["cadre"].pk, people["cadre_other"].pk}
    v11 = next(x for x in data["villages"] if x.pk == directory["v11"].pk)
    assert (v11.must_total, v11.must_covered) == (1, 1)
