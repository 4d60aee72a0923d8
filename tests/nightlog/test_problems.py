"""Problems through the services: owners, steps kept, events after commit."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nightlog import events, services
from nightlog.models import Problem
from residency.models import AuditLog
from tests.nightlog.factories import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(people, households):
    visit = make_visit(people["cadre"], households["h11"])
    return services.problem_raise(raised_by=people["cadre"], by=people["cadre"].user,
                                  summary="帮儿子找份合适的工作", owner=people["village_cadre"],
                                  due_date=timezone.localdate() + timedelta(days=7),
                                  village=visit.household.village, visit=visit,
                                  household=visit.household)


def test_the_owner_must_be_the_cadre_or_a_village_cadre_of_the_village(people, households):
    visit = make_visit(people["cadre"], households["h11"])
    for wrong in (people["township_admin"], people["cadre_other"].user):
        with pytest.raises(ValidationError):
            services.problem_raise(raised_by=people["cadre"], by=None, summary="x", owner=wrong,
                                   due_date=timezone.localdate(), village=visit.household.village,
                                   visit=visit)


def test_a_problem_walks_to_confirmed_and_every_step_is_kept(problem, people):
    vc = people["village_cadre"]
    services.problem_transition(problem=problem, action="start", by=vc)
    services.problem_transition(problem=problem, action="resolve", by=vc,
                                resolution="介绍到村里的合作社上班", on_the_spot=True)
    services.problem_transition(problem=problem, action="confirm", by=people["cadre"].user,
                                satisfied=True)
    problem.refresh_from_db()
    assert problem.status == "confirmed" and problem.satisfied and problem.on_the_spot
    steps = list(problem.events.values_list("from_status", "to_status", "by__username"))
    assert steps == [("", "raised", "cadre1"), ("raised", "in_progress", "vcadre"),
                     ("in_progress", "resolved", "vcadre"), ("resolved", "confirmed", "cadre1")]
    assert AuditLog.objects.filter(action="problem_confirm").exists()


def test_resolving_needs_how_and_whether_it_was_on_the_spot(problem, people):
    with pytest.raises(ValidationError):
        services.problem_transition(problem=problem, action="resolve", by=people["village_cadre"],
                                    resolution="", on_the_spot=True)
    with pytest.raises(ValidationError):
        services.problem_transition(problem=problem, action="resolve", by=people["village_cadre"],
                                    resolution="办好了", on_the_spot=None)
    problem.refresh_from_db()
    assert problem.status == "raised" and problem.events.count() == 1


def test_an_escalated_problem_is_in_the_township_admins_hands(problem, people):
    services.problem_transition(problem=problem, action="escalate", by=people["village_cadre"],
                                note="需要镇里协调就业岗位")
    with pytest.raises(ValidationError):
        services.problem_transition(problem=problem, action="start", by=people["village_cadre"])
    services.problem_transition(problem=problem, action="resolve", by=people["township_admin"],
                                resolution="镇里安排公益岗位", on_the_spot=False)
    problem.refresh_from_db()
    assert problem.status == "resolved" and problem.escalated_at is not None


def test_a_stranger_cannot_move_a_problem(problem, people):
    with pytest.raises(ValidationError) as err:
        services.problem_transition(problem=problem, action="start", by=people["cadre_other"].user)
    assert "不是该问题的责任人" in str(err.value)


def test_a_problem_is_handed_over_and_the_handover_is_kept(problem, people):
    services.problem_hand_over(problem=problem, owner=people["cadre"].user,
                               by=people["cadre"].user, note="我自己跟")
    problem.refresh_from_db()
    assert problem.owner == people["cadre"].user
    assert "移交给" in problem.events.last().note


def test_signals_are_sent_only_after_commit(people, households, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    events.problem_raised.connect(listener)
    events.problem_changed.connect(listener)
    try:
        visit = make_visit(people["cadre"], households["h11"])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            problem = services.problem_raise(
                raised_by=people["cadre"], by=None, summary="路灯坏了", owner=None,
                due_date=timezone.localdate(), village=visit.household.village, visit=visit)
        assert heard == [] and len(callbacks) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.problem_transition(problem=problem, action="start", by=people["cadre"].user)
        assert heard[-1]["problem_id"] == problem.pk and heard[-1]["to_status"] == "in_progress"
    finally:
        events.problem_raised.disconnect(listener)
        events.problem_changed.disconnect(listener)


def test_the_database_insists_a_problem_comes_from_a_visit_or_a_consultation(people, directory):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Problem.objects.create(village=directory["v11"], raised_by=people["cadre"], summary="x",
                               owner=people["cadre"].user, due_date=timezone.localdate())
