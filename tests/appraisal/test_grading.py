"""Proposed grades and satisfaction scores (pure)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.grading import (
    BASIC,
    COMPETENT,
    EXCELLENT,
    INCOMPETENT,
    Counts,
    Facts,
    Rules,
    Weights,
    grade_allowed,
    must_visit_pct,
    propose_grade,
    satisfaction,
)

# A busy CI machine must not fail a pure test on timing.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_default_formula_is_satisfied_plus_half_basic_over_valid_ballots():
    assert satisfaction(Counts(6, 2, 2)) == Decimal("70.0")
    assert satisfaction(Counts(1, 1, 1)) == Decimal("50.0")


def test_no_valid_ballot_means_no_score():
    assert satisfaction(Counts()) is None


def test_weights_set_by_the_organisation_department_change_the_score():
    assert satisfaction(Counts(6, 2, 2), Weights(Decimal("1"), Decimal("0.8"), Decimal("0"))) == Decimal("76.0")


def good(**overrides) -> Facts:
    values = {"nights_required": 80, "nights_stayed": 80, "satisfaction": Decimal("95"),
              "standing_violations": 0, "must_visit_households": 5, "must_visit_visited": 5,
              "village_must_visit_households": 6}
    values.update(overrides)
    return Facts(**values)


def test_all_nights_high_satisfaction_and_must_visits_is_proposed_excellent():
    assert propose_grade(good()) == EXCELLENT


def test_a_standing_violation_is_never_proposed_excellent():
    assert propose_grade(good(standing_violations=1)) == COMPETENT


def test_thresholds_step_down_through_the_grades():
    assert propose_grade(good(satisfaction=Decimal("75"))) == COMPETENT
    assert propose_grade(good(satisfaction=Decimal("55"))) == BASIC
    assert propose_grade(good(satisfaction=Decimal("40"))) == INCOMPETENT


def test_missed_nights_alone_never_lower_the_grade():
    """The policy's consequence of a missed night is the ladder: only a confirmed incident
    reaches the grade (and only as the cap on 优秀)."""
    assert propose_grade(good(nights_stayed=0)) == EXCELLENT
    assert propose_grade(good(nights_required=2, nights_stayed=0, satisfaction=Decimal("75"))) == COMPETENT


def test_without_a_review_score_the_ordinary_grade_is_proposed():
    assert propose_grade(good(satisfaction=None)) == COMPETENT
    assert propose_grade(good(satisfaction=None, standing_violations=3)) == COMPETENT


def test_excellent_needs_the_must_visit_coverage_of_the_cadres_own_village():
    assert propose_grade(good(must_visit_households=5, must_visit_visited=3)) == COMPETENT  # 60 %
    assert propose_grade(good(must_visit_households=5, must_visit_visited=4)) == EXCELLENT  # 80 %


def test_linked_to_no_must_visit_household_of_a_village_that_has_some_is_zero_percent():
    facts = good(must_visit_households=0, must_visit_visited=0, village_must_visit_households=4)
    assert must_visit_pct(facts) == 0
    assert propose_grade(facts) == COMPETENT


def test_a_village_without_must_visit_households_does_not_bar_excellent():
    facts = good(must_visit_households=0, must_visit_visited=0, village_must_visit_households=0)
    assert must_visit_pct(facts) == 100
    assert propose_grade(facts) == EXCELLENT


def test_tuned_rules_are_applied():
    strict = Rules(excellent_min_satisfaction=Decimal("99"))
    assert propose_grade(good(), strict) == COMPETENT


def test_excellent_is_barred_only_by_a_standing_violation():
    assert grade_allowed(EXCELLENT, standing_violations=0)
    assert not grade_allowed(EXCELLENT, standing_violations=1)
    assert grade_allowed(COMPETENT, standing_violations=3)


@RELAXED
@given(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100), st.integers(1, 5))
def test_no_numbers_make_a_cadre_with_violations_excellent(s, b, u, violations):
    score = satisfaction(Counts(s, b, u))
    assert propose_grade(good(satisfaction=score, standing_violations=violations)) != EXCELLENT


@RELAXED
@given(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100))
def test_score_is_between_0_and_100(s, b, u):
    score = satisfaction(Counts(s, b, u))
    if s + b + u == 0:
        assert score is None  # nobody rated: no score, not 0
    else:
        assert Decimal(0) <= score <= Decimal(100)


@RELAXED
@given(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100), st.integers(0, 5),
       st.integers(0, 60), st.integers(0, 60))
def test_the_proposal_is_the_score_grade_capped_by_the_ladder(s, b, u, violations, required, stayed):
    from appraisal.grading import score_grade

    score = satisfaction(Counts(s, b, u))
    proposed = propose_grade(good(satisfaction=score, standing_violations=violations,
                                  nights_required=required, nights_stayed=min(stayed, required)))
    expected = score_grade(score)
    if expected == EXCELLENT and violations:
        expected = COMPETENT
    assert proposed == expected
