"""Final grades (never 优秀 with a standing violation), tunable rules and 金口碑."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import services
from appraisal.models import Appraisal, AppraisalRules, GoldenAward
from appraisal.selectors import appraisal_rows, golden_candidates, golden_public_list
from residency.access.scoping import build_scope
from residency.models import Cadre
from tests.appraisal.factories import make_meeting, make_stay, make_violation

YEAR = 2026
pytestmark = pytest.mark.django_db


def rated(meeting, cadre, admin, satisfied=9, basic=1, unsatisfied=0):
    services.tally_set(meeting=meeting, cadre=cadre, kind="resident", satisfied=satisfied,
                       basic=basic, unsatisfied=unsatisfied, by=admin)


@pytest.fixture
def year_of_work(people, directory):
    """cadre: every night stayed, 95 satisfaction; cadre_other: a night missed, 95."""
    admin = people["township_admin"]
    for day in (2, 3):
        make_stay(people["cadre"], directory["v11"], date(YEAR, 3, day), checked_in=True)
    make_stay(people["cadre_other"], directory["v12"], date(YEAR, 3, 2), checked_in=True)
    make_stay(people["cadre_other"], directory["v12"], date(YEAR, 3, 3))
    rated(make_meeting(directory["v11"]), people["cadre"], admin)
    rated(make_meeting(directory["v12"]), people["cadre_other"], admin)
    return people


def row_of(cadre):
    return appraisal_rows(cadres=[Cadre.objects.select_related("township", "user").get(pk=cadre.pk)],
                          year=YEAR)[0]


def test_the_service_refuses_excellent_with_a_standing_violation(people):
    make_violation(people["cadre"], date(YEAR, 3, 1))
    with pytest.raises(ValidationError, match="不得评为优秀"):
        services.appraisal_set_grade(cadre=people["cadre"], year=YEAR, grade="excellent",
                                     by=people["org_department"])
    assert not Appraisal.objects.exists()
    services.appraisal_set_grade(cadre=people["cadre"], year=YEAR, grade="competent",
                                 by=people["org_department"])
    assert Appraisal.objects.get().final_grade == "competent"


def test_an_overturned_violation_no_longer_bars_excellent(people):
    make_violation(people["cadre"], date(YEAR, 3, 1), overturned=True, by=people["org_department"])
    services.appraisal_set_grade(cadre=people["cadre"], year=YEAR, grade="excellent",
                                 by=people["org_department"])
    assert Appraisal.objects.get().final_grade == "excellent"


def test_a_violation_in_another_year_does_not_bar_excellent(people):
    make_violation(people["cadre"], date(YEAR - 1, 12, 31))
    services.appraisal_set_grade(cadre=people["cadre"], year=YEAR, grade="excellent",
                                 by=people["org_department"])
    assert Appraisal.objects.get(cadre=people["cadre"], year=YEAR).final_grade == "excellent"


def test_only_the_organisation_department_of_the_county_sets_grades(people):
    with pytest.raises(PermissionDenied):
        services.appraisal_set_grade(cadre=people["cadre"], year=YEAR, grade="competent",
                                     by=people["township_admin"])
    with pytest.raises(PermissionDenied):
        services.appraisal_set_grade(cadre=people["cadre_far"], year=YEAR, grade="competent",
                                     by=people["org_department"])


def test_proposed_grade_follows_the_register_and_the_rules(year_of_work):
    people = year_of_work
    assert row_of(people["cadre"]).proposed_grade == "excellent"
    make_violation(people["cadre"], date(YEAR, 3, 1))
    row = row_of(people["cadre"])
    assert (row.proposed_grade, row.violations, row.ladder.label) == ("competent", 1, "不得评优")


def test_rules_changed_by_the_organisation_department_apply(year_of_work, directory):
    people = year_of_work
    services.rules_update(county=directory["county"], year=YEAR, by=people["org_department"],
                          excellent_min_satisfaction=Decimal("99"))
    assert row_of(people["cadre"]).proposed_grade == "competent"
    services.rules_update(county=directory["county"], year=YEAR, by=people["org_department"],
                          weight_basic=Decimal("1.00"), excellent_min_satisfaction=Decimal("99"))
    assert row_of(people["cadre"]).satisfaction == Decimal("100.0")
    assert AppraisalRules.objects.count() == 1


def test_rules_thresholds_must_be_ordered(directory, people):
    with pytest.raises(ValidationError):
        services.rules_update(county=directory["county"], year=YEAR, by=people["org_department"],
                              competent_min_satisfaction=Decimal("95"))


def test_golden_candidates_have_no_violation_and_every_night(year_of_work):
    people = year_of_work
    scope = build_scope(people["org_department"])
    names = [r.username for r in golden_candidates(scope=scope, year=YEAR)]
    assert names == ["cadre1"]  # cadre2 missed a night
    make_violation(people["cadre"], date(YEAR, 3, 1))
    assert golden_candidates(scope=scope, year=YEAR) == []


def test_golden_selection_refuses_a_non_candidate(year_of_work):
    people = year_of_work
    with pytest.raises(ValidationError, match="金口碑"):
        services.golden_select(cadre=people["cadre_other"], year=YEAR, by=people["org_department"])
    services.golden_select(cadre=people["cadre"], year=YEAR, by=people["org_department"])
    assert GoldenAward.objects.get().cadre == people["cadre"]


def test_public_golden_list_shows_name_township_and_village_only(year_of_work):
    people = year_of_work
    services.golden_select(cadre=people["cadre"], year=YEAR, by=people["org_department"])
    assert golden_public_list(year=YEAR) == [{"name": "cadre1", "township": "甲镇", "village": "东村"}]


def test_the_row_reads_visits_and_must_visit_coverage_from_the_night_log(people, households):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from nightlog.models import LinkedHousehold, Visit

    cadre, h = people["cadre"], households["h11"]  # a hardship household: must visit
    LinkedHousehold.objects.create(cadre=cadre, household=h, since=date(YEAR, 1, 1))
    Visit.objects.create(cadre=cadre, household=h, situation="老人独居",
                         visited_at=datetime.combine(date(YEAR, 3, 2), time(20, 0),
                                                     tzinfo=ZoneInfo("Asia/Shanghai")))
    row = row_of(cadre)
    assert (row.visits, row.linked_households) == (1, 1)
    assert (row.must_visit_households, row.must_visit_visited, row.must_visit_pct) == (1, 1, 100)


def test_a_missed_night_reaches_the_grade_only_as_a_confirmed_incident(year_of_work):
    """Issue 10 item 8: one missed check-in (not even confirmed) used to make 0% nights and
    propose 不称职. The nights stay in the report as information only."""
    from appraisal.models import Violation

    people = year_of_work
    row = row_of(people["cadre_other"])
    assert (row.nights_required, row.nights_stayed, row.proposed_grade) == (2, 1, "excellent")
    services.violation_candidates_sync(since=date(YEAR, 3, 1), until=date(YEAR, 3, 31))
    incident = Violation.objects.get(cadre=people["cadre_other"])
    assert row_of(people["cadre_other"]).proposed_grade == "excellent"  # a candidate counts nothing
    services.violation_confirm(violation=incident, by=people["org_department"], note="属实")
    row = row_of(people["cadre_other"])
    assert (row.proposed_grade, row.violations) == ("competent", 1)


def test_a_cadre_linked_to_none_of_his_villages_must_visit_households_is_not_proposed_excellent(
        year_of_work, households):
    people = year_of_work  # cadre: 95 satisfaction, every night; v11 has a hardship household
    row = row_of(people["cadre"])
    assert (row.must_visit_households, row.village_must_visit_households, row.must_visit_pct) == (0, 1, 0)
    assert row.proposed_grade == "competent"
