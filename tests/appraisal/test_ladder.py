"""The penalty ladder as a pure function: counted over one calendar year, only confirmed
violations that stand (not overturned) count; each step includes the ones below."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.ladder import (
    HANDLING,
    NO_EXCELLENT,
    TALK,
    ViolationFact,
    ladder,
    ladder_for_count,
    step_for_count,
)

YEAR = 2026

# A busy CI machine must not fail a pure test on timing.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def facts(confirmed: int, *, overturned: int = 0, dismissed: int = 0, candidates: int = 0,
          other_year: int = 0) -> list[ViolationFact]:
    day = date(YEAR, 3, 1)
    return ([ViolationFact(day, "confirmed") for _ in range(confirmed)]
            + [ViolationFact(day, "confirmed", overturned=True) for _ in range(overturned)]
            + [ViolationFact(day, "dismissed") for _ in range(dismissed)]
            + [ViolationFact(day, "candidate") for _ in range(candidates)]
            + [ViolationFact(date(YEAR - 1, 12, 31), "confirmed") for _ in range(other_year)])


EXPECTED = {0: (0, "", False, False, False), 1: (1, "不得评优", True, False, False),
            2: (2, "诫勉谈话", True, True, False), 3: (3, "组织处理", True, True, True),
            4: (3, "组织处理", True, True, True), 5: (3, "组织处理", True, True, True)}


@pytest.mark.parametrize("count", range(6))
@pytest.mark.parametrize("overturned", range(3))
@pytest.mark.parametrize("dismissed", range(3))
def test_every_count_0_to_5_counts_only_standing_confirmed_violations(count, overturned, dismissed):
    result = ladder(facts(count, overturned=overturned, dismissed=dismissed, candidates=2,
                          other_year=2), year=YEAR)
    step, label, no_excellent, talk, handling = EXPECTED[count]
    assert result.count == count
    assert result.step == step
    assert result.label == label
    assert (result.no_excellent, result.talk_due, result.handling_due) == (no_excellent, talk, handling)


def test_overturning_one_of_two_drops_the_talk_at_once():
    two = facts(2)
    assert ladder(two, year=YEAR).talk_due
    after = [two[0], ViolationFact(two[1].occurred_on, "confirmed", overturned=True)]
    result = ladder(after, year=YEAR)
    assert (result.step, result.talk_due, result.no_excellent) == (NO_EXCELLENT, False, True)


def test_negative_count_is_an_error():
    with pytest.raises(ValueError):
        step_for_count(-1)


statuses = st.sampled_from(["candidate", "confirmed", "dismissed"])
fact = st.builds(ViolationFact, occurred_on=st.dates(date(YEAR - 1, 1, 1), date(YEAR + 1, 12, 31)),
                 status=statuses, overturned=st.booleans())


@RELAXED
@given(st.lists(fact, max_size=30))
def test_step_is_min_of_standing_count_and_three(items):
    result = ladder(items, year=YEAR)
    standing = sum(1 for f in items if f.status == "confirmed" and not f.overturned
                   and f.occurred_on.year == YEAR)
    assert result.count == standing
    assert result.step == min(standing, HANDLING)


@RELAXED
@given(st.integers(min_value=0, max_value=50))
def test_each_step_includes_the_ones_below(count):
    result = ladder_for_count(count)
    assert result.handling_due <= result.talk_due <= result.no_excellent
    assert result.talk_due == (count >= TALK)


@RELAXED
@given(st.lists(fact, max_size=20), fact)
def test_adding_a_non_standing_violation_never_changes_the_step(items, extra):
    if extra.status == "confirmed" and not extra.overturned:
        extra = ViolationFact(extra.occurred_on, "dismissed")
    assert ladder([*items, extra], year=YEAR) == ladder(items, year=YEAR)
