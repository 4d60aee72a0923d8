"""The problem state machine, without a database."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightlog import problem_flow as f


def test_the_owner_moves_a_problem_raised_in_progress_resolved():
    assert f.next_status(f.RAISED, f.START, {f.OWNER}).to_status == f.IN_PROGRESS
    assert f.next_status(f.IN_PROGRESS, f.RESOLVE, {f.OWNER}).to_status == f.RESOLVED


def test_a_problem_solved_on_the_spot_can_be_resolved_straight_from_raised():
    assert f.next_status(f.RAISED, f.RESOLVE, {f.RAISER}).to_status == f.RESOLVED


def test_the_household_confirms_only_a_resolved_problem():
    assert f.next_status(f.RESOLVED, f.CONFIRM, {f.RAISER}).to_status == f.CONFIRMED
    with pytest.raises(f.FlowError) as err:
        f.next_status(f.IN_PROGRESS, f.CONFIRM, {f.RAISER})
    assert err.value.code == "not_from_here"


def test_an_open_problem_can_be_escalated_to_the_township():
    assert f.next_status(f.RAISED, f.ESCALATE, {f.OWNER}).to_status == f.ESCALATED
    assert f.next_status(f.IN_PROGRESS, f.ESCALATE, {f.RAISER}).to_status == f.ESCALATED


def test_only_the_township_admin_acts_on_an_escalated_problem():
    with pytest.raises(f.FlowError) as err:
        f.next_status(f.ESCALATED, f.RESOLVE, {f.OWNER, f.RAISER})
    assert err.value.code == "not_yours"
    assert f.next_status(f.ESCALATED, f.RESOLVE, {f.ADMIN}).to_status == f.RESOLVED


def test_someone_who_is_neither_owner_nor_raiser_cannot_act():
    with pytest.raises(f.FlowError):
        f.next_status(f.RAISED, f.START, set())


def test_a_confirmed_problem_is_final():
    assert f.available_actions(f.CONFIRMED, {f.OWNER, f.RAISER, f.ADMIN}) == []


def test_only_the_raiser_or_an_admin_hands_a_problem_over():
    assert f.HAND_OVER in f.available_actions(f.RAISED, {f.RAISER})
    assert f.HAND_OVER not in f.available_actions(f.RAISED, {f.OWNER})


@given(st.sampled_from(f.STATUSES), st.sampled_from(f.ACTIONS),
       st.sets(st.sampled_from([f.OWNER, f.RAISER, f.ADMIN])))
def test_every_step_lands_on_a_known_status_and_never_leaves_confirmed(status, action, actors):
    try:
        step = f.next_status(status, action, actors)
    except f.FlowError:
        return
    assert step.to_status in f.STATUSES
    assert status != f.CONFIRMED
