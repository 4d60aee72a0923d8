"""seed_demo gives a realistic appraisal year (issue 5, item 7): a review meeting with ballots
in every village, satisfaction as in a real county (most cadres 80-95, a few low), and a
spread of violations: most cadres none, some one, a few two, one or two three or more.

The full seed runs once for this module inside an outer transaction that is rolled back."""
from __future__ import annotations

import statistics
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from appraisal.models import Ballot, PaperTally, ReviewMeeting, Violation
from appraisal.selectors import iter_appraisal_rows
from residency.access.scoping import COUNTY, Scope
from residency.models import County, Village

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--seed", "2013", stdout=StringIO())
            county = County.objects.get(code="330483")
            scope = Scope(role=None, level=COUNTY, county_ids=frozenset({county.pk}))
            year = timezone.localdate().year
            yield {"year": year, "rows": list(iter_appraisal_rows(scope=scope, year=year)),
                   "villages": Village.objects.filter(township__county=county).count(),
                   "meetings": ReviewMeeting.objects.filter(year=year).count(),
                   "online_meetings": ReviewMeeting.objects.filter(
                       year=year, ballots__isnull=False).distinct().count(),
                   "paper_meetings": ReviewMeeting.objects.filter(
                       year=year, tallies__isnull=False).distinct().count(),
                   "ballots": Ballot.objects.count(), "tallies": PaperTally.objects.count(),
                   "candidates": Violation.objects.filter(status="candidate").count(),
                   "dismissed": Violation.objects.filter(status="dismissed").count()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_every_village_holds_its_meeting_some_on_paper_some_online(rows):
    assert rows["meetings"] == rows["villages"] == 174
    assert rows["online_meetings"] > 30 and rows["paper_meetings"] > 30
    assert rows["online_meetings"] + rows["paper_meetings"] == rows["meetings"]
    assert rows["ballots"] > 1000 and rows["tallies"] > 300


def test_most_cadres_are_rated_between_80_and_95_and_a_few_low(rows):
    scores = [float(r.satisfaction) for r in rows["rows"] if r.satisfaction is not None]
    assert len(scores) == len(rows["rows"]) == 929  # every cadre was rated
    assert 84 <= statistics.mean(scores) <= 92
    assert sum(80 <= s <= 95 for s in scores) / len(scores) >= 0.6
    low = sum(s < 70 for s in scores)
    assert 5 <= low <= 0.06 * len(scores)
    assert sum(s == 100 for s in scores) <= 0.03 * len(scores)  # a perfect score is rare


def test_violations_most_cadres_none_some_one_a_few_two_one_or_two_three_or_more(rows):
    spread = Counter(min(r.violations, 3) for r in rows["rows"])
    n = len(rows["rows"])
    assert spread[0] >= 0.8 * n
    assert 0.03 * n <= spread[1] <= 0.15 * n
    assert 2 <= spread[2] <= spread[1] / 3
    assert 1 <= spread[3] <= 2
    assert rows["candidates"] > 0 and rows["dismissed"] > 0  # decisions still to take, and not


def test_the_proposed_grades_use_all_four_grades_and_no_excellent_with_a_violation(rows):
    proposed = Counter(r.proposed_grade for r in rows["rows"])
    assert set(proposed) == {"excellent", "competent", "basic", "incompetent"}
    assert not [r for r in rows["rows"] if r.violations and r.proposed_grade == "excellent"]
    assert not [r for r in rows["rows"] if r.violations and r.final_grade == "excellent"]


def test_the_demo_year_gives_a_believable_spread_of_proposed_grades(rows):
    """Most 称职, some 优秀, a few 基本称职, 不称职 rare and explained by the review score."""
    proposed = Counter(r.proposed_grade for r in rows["rows"])
    n = len(rows["rows"])
    assert proposed["competent"] >= 0.6 * n
    assert 0.08 * n <= proposed["excellent"] <= 0.25 * n
    assert 0.01 * n <= proposed["basic"] <= 0.1 * n
    assert proposed["incompetent"] <= 0.01 * n
    assert all(r.satisfaction is not None and r.satisfaction < 50
               for r in rows["rows"] if r.proposed_grade == "incompetent")


def test_missed_nights_never_lower_a_demo_grade_below_what_the_score_gives(rows):
    from decimal import Decimal

    for r in rows["rows"]:
        if r.satisfaction is not None and r.satisfaction >= Decimal("70"):
            assert r.proposed_grade in {"excellent", "competent"}, r
