"""The violation register: candidates arrive by themselves and idempotently; nothing is
confirmed automatically; decisions, appeals and the ladder actions."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from appraisal import services
from appraisal.models import (
    Appeal,
    Appraisal,
    GoldenAward,
    PenaltyAction,
    Violation,
    ViolationSignal,
)
from appraisal.selectors import ladder_for, standing_counts
from residency import events
from residency.models import AuditLog
from tests.appraisal.factories import make_spot_check, make_stay, make_violation

YEAR = 2026
MARCH = date(YEAR, 3, 2)  # a Monday
pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(people, directory):
    """One week in March: a stay checked in, one missed and spot-checked absent (the same
    night), and a second cadre whose only stay of the week was missed."""
    cadre, other, v11, v12 = people["cadre"], people["cadre_other"], directory["v11"], directory["v12"]
    make_stay(cadre, v11, MARCH, checked_in=True)
    missed = make_stay(cadre, v11, date(YEAR, 3, 4))
    other_missed = make_stay(other, v12, date(YEAR, 3, 3))
    check = make_spot_check(cadre, v11, date(YEAR, 3, 4), people["inspector"])
    return {"missed": missed, "check": check, "other_missed": other_missed}


def _sync():
    return services.violation_candidates_sync(since=date(YEAR, 3, 1), until=date(YEAR, 3, 31))


def test_sync_makes_one_incident_per_cadre_night_and_confirms_nothing(roster, people):
    created = _sync()
    rows = sorted(Violation.objects.values_list("cadre_id", "occurred_on", "source", "status"))
    assert rows == [(people["cadre"].pk, date(YEAR, 3, 4), "night", "candidate"),
                    (people["cadre_other"].pk, date(YEAR, 3, 3), "night", "candidate")]
    assert created == 2


def test_a_missed_check_in_and_an_absent_spot_check_of_one_night_are_one_incident(roster, people):
    """The issue's triple: the only stay of the week, missed and spot-checked absent, once
    made three candidates (and 组织处理 for one night). Now one, with both as evidence."""
    _sync()
    incident = Violation.objects.get(cadre=people["cadre"])
    assert sorted(incident.signals.values_list("kind", "source_id")) == [
        ("missed_checkin", roster["missed"].pk), ("spot_check_absent", roster["check"].pk)]
    services.violation_confirm(violation=incident, by=people["township_admin"], note="核实")
    assert ladder_for(cadre_id=people["cadre"].pk, year=YEAR)[0].count == 1


def test_a_week_the_roster_left_empty_is_no_violation_of_the_cadre(people, directory):
    make_stay(people["cadre"], directory["v11"], MARCH, checked_in=True)  # publishes the week
    _sync()
    assert not Violation.objects.filter(cadre=people["cadre_other"]).exists()


def test_sync_twice_creates_nothing_new(roster):
    _sync()
    before = (Violation.objects.count(), ViolationSignal.objects.count())
    assert _sync() == 0
    assert (Violation.objects.count(), ViolationSignal.objects.count()) == before


def test_the_database_refuses_a_second_incident_for_one_cadre_night(roster, people):
    _sync()
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.create(cadre=people["cadre"], occurred_on=date(YEAR, 3, 4), source="manual",
                                 reason="再登记一次")


def test_a_manual_entry_for_a_night_that_has_an_incident_is_refused(roster, people):
    _sync()
    with pytest.raises(ValidationError, match="同一晚只认定一次"):
        services.violation_create_manual(cadre=people["cadre"], occurred_on=date(YEAR, 3, 4),
                                         reason="群众反映", by=people["township_admin"])


def test_a_signal_found_after_the_decision_joins_the_decided_incident(roster, people):
    _sync()
    incident = Violation.objects.get(cadre=people["cadre"])
    services.violation_dismiss(violation=incident, by=people["township_admin"], note="当晚在村")
    later = make_spot_check(people["cadre"], roster["missed"].village, date(YEAR, 3, 4),
                            people["inspector"])
    _sync()
    incident.refresh_from_db()
    assert incident.status == "dismissed"
    assert incident.signals.filter(kind="spot_check_absent", source_id=later.pk).exists()
    assert Violation.objects.filter(cadre=people["cadre"]).count() == 1


def test_nights_under_approved_leave_or_given_away_by_swap_produce_nothing(roster, people):
    from residency.models import Cadre, Swap
    from tests.residency.roster.factories import make_leave

    make_leave(people["cadre"], date(YEAR, 3, 4), date(YEAR, 3, 4))
    # cadre2 gave 3 March to a colleague (approved swap): the stay is now the colleague's.
    stay = roster["other_missed"]
    colleague = Cadre.objects.get(pk=people["cadre"].pk)
    Swap.objects.create(stay=stay, requested_by=people["cadre_other"], colleague=colleague,
                        status="approved")
    stay.cadre = colleague
    stay.save()
    _sync()
    assert not Violation.objects.filter(cadre=people["cadre_other"]).exists()
    assert not Violation.objects.filter(cadre=people["cadre"], occurred_on=date(YEAR, 3, 4)).exists()


def test_inactive_cadres_and_nights_outside_the_station_produce_nothing(roster, people):
    from residency.models import Station

    people["cadre"].active = False
    people["cadre"].save()
    Station.objects.filter(cadre=people["cadre_other"]).update(start=date(YEAR, 3, 10))
    assert _sync() == 0
    assert not Violation.objects.exists()


def test_sync_task_runs_the_sweep(roster):
    from appraisal.tasks import violation_candidates_sync

    assert violation_candidates_sync.delay("2026-03-01", "2026-03-31").get() == 2
    assert ViolationSignal.objects.filter(kind="spot_check_absent").exists()


def test_spot_check_event_makes_a_candidate(people, directory):
    make_stay(people["cadre"], directory["v11"], MARCH)
    check = make_spot_check(people["cadre"], directory["v11"], MARCH, people["inspector"])
    events.spot_check_recorded.send(sender=None, spot_check_id=check.pk)
    events.spot_check_recorded.send(sender=None, spot_check_id=check.pk)
    violation = ViolationSignal.objects.get(kind="spot_check_absent", source_id=check.pk).violation
    assert violation.status == "candidate" and violation.occurred_on == MARCH


def test_a_spot_check_of_a_cadre_not_on_duty_there_makes_nothing(people, directory):
    check = make_spot_check(people["cadre"], directory["v11"], MARCH, people["inspector"])
    events.spot_check_recorded.send(sender=None, spot_check_id=check.pk)
    assert not Violation.objects.exists()


def test_a_present_spot_check_makes_no_candidate(people, directory):
    make_stay(people["cadre"], directory["v11"], MARCH)
    check = make_spot_check(people["cadre"], directory["v11"], MARCH, people["inspector"], present=True)
    events.spot_check_recorded.send(sender=None, spot_check_id=check.pk)
    assert not Violation.objects.exists()


def test_manual_entry_needs_a_reason_and_stays_a_candidate(people):
    with pytest.raises(ValidationError):
        services.violation_create_manual(cadre=people["cadre"], occurred_on=MARCH, reason="  ",
                                         by=people["township_admin"])
    v = services.violation_create_manual(cadre=people["cadre"], occurred_on=MARCH,
                                         reason="群众反映夜间不在村", by=people["township_admin"])
    assert v.status == "candidate" and v.created_by == people["township_admin"]


def test_township_admin_decides_only_in_his_township(people):
    far = make_violation(people["cadre_far"], MARCH, status="candidate")
    with pytest.raises(PermissionDenied):
        services.violation_confirm(violation=far, by=people["township_admin"], note="核实")
    mine = make_violation(people["cadre"], date(YEAR, 3, 3), status="candidate")
    services.violation_confirm(violation=mine, by=people["township_admin"], note="核实")
    mine.refresh_from_db()
    assert (mine.status, mine.decided_by, mine.decision_note) == ("confirmed", people["township_admin"], "核实")
    assert AuditLog.objects.filter(action="violation_confirm", object_id=str(mine.pk)).exists()


def test_a_decision_needs_a_reason_and_is_made_once(people):
    v = make_violation(people["cadre"], MARCH, status="candidate")
    with pytest.raises(ValidationError):
        services.violation_dismiss(violation=v, by=people["org_department"], note="")
    services.violation_dismiss(violation=v, by=people["org_department"], note="当晚请假")
    with pytest.raises(ValidationError):
        services.violation_confirm(violation=v, by=people["org_department"], note="改判")
    assert Violation.objects.get(pk=v.pk).status == "dismissed"


def test_province_viewer_cannot_decide(people):
    v = make_violation(people["cadre"], MARCH, status="candidate")
    with pytest.raises(PermissionDenied):
        services.violation_confirm(violation=v, by=people["province_viewer"], note="x")


def test_confirming_takes_away_an_excellent_grade_and_golden_award(people):
    cadre, org = people["cadre"], people["org_department"]
    Appraisal.objects.create(cadre=cadre, year=YEAR, final_grade="excellent", set_by=org)
    GoldenAward.objects.create(cadre=cadre, year=YEAR, selected_by=org)
    v = make_violation(cadre, MARCH, status="candidate")
    services.violation_confirm(violation=v, by=org, note="核实")
    assert not Appraisal.objects.filter(cadre=cadre, year=YEAR).exists()
    assert not GoldenAward.objects.filter(cadre=cadre, year=YEAR).exists()


# --- appeals ---------------------------------------------------------------------------


def test_the_cadre_appeals_a_confirmed_violation_once_in_writing(people):
    v = make_violation(people["cadre"], MARCH)
    with pytest.raises(ValidationError):
        services.appeal_file(violation=v, by=people["cadre"].user, text="")
    appeal = services.appeal_file(violation=v, by=people["cadre"].user, text="当晚在村部,有值班记录")
    assert appeal.outcome == "pending"
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.appeal_file(violation=v, by=people["cadre"].user, text="再次申诉")
    assert Appeal.objects.filter(violation=v).count() == 1


def test_only_the_cadre_concerned_can_appeal_and_only_confirmed_ones(people):
    v = make_violation(people["cadre"], MARCH)
    with pytest.raises(ValidationError):
        services.appeal_file(violation=v, by=people["cadre_other"].user, text="代为申诉")
    candidate = make_violation(people["cadre"], date(YEAR, 3, 3), status="candidate")
    with pytest.raises(ValidationError):
        services.appeal_file(violation=candidate, by=people["cadre"].user, text="申诉")


def test_overturning_changes_the_ladder_at_once(people):
    cadre, org = people["cadre"], people["org_department"]
    make_violation(cadre, MARCH)
    v2 = make_violation(cadre, date(YEAR, 4, 1))
    assert ladder_for(cadre_id=cadre.pk, year=YEAR)[0].talk_due
    appeal = services.appeal_file(violation=v2, by=cadre.user, text="当晚出差,有审批单")
    services.appeal_decide(appeal=appeal, by=org, overturn=True, note="出差属实")
    result, _actions = ladder_for(cadre_id=cadre.pk, year=YEAR)
    assert (result.count, result.talk_due, result.no_excellent) == (1, False, True)
    assert AuditLog.objects.filter(action="appeal_overturn").exists()


def test_upholding_keeps_the_violation_standing(people):
    cadre, org = people["cadre"], people["org_department"]
    v = make_violation(cadre, MARCH)
    appeal = services.appeal_file(violation=v, by=cadre.user, text="理由")
    services.appeal_decide(appeal=appeal, by=org, overturn=False, note="证据不足")
    assert standing_counts(cadre_ids=[cadre.pk], year=YEAR)[cadre.pk] == 1
    with pytest.raises(ValidationError):
        services.appeal_decide(appeal=appeal, by=org, overturn=True, note="再改")


def test_only_the_organisation_department_decides_appeals(people):
    v = make_violation(people["cadre"], MARCH)
    appeal = services.appeal_file(violation=v, by=people["cadre"].user, text="理由")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, by=people["township_admin"], overturn=True, note="x")


def test_dismissed_and_candidate_violations_never_count(people):
    cadre = people["cadre"]
    make_violation(cadre, MARCH, status="candidate")
    make_violation(cadre, date(YEAR, 3, 3), status="dismissed")
    make_violation(cadre, date(YEAR, 3, 4), overturned=True, by=people["org_department"])
    assert standing_counts(cadre_ids=[cadre.pk], year=YEAR)[cadre.pk] == 0


# --- actions the ladder calls for -------------------------------------------------------


def test_talk_can_be_recorded_only_when_due(people):
    cadre, org = people["cadre"], people["org_department"]
    make_violation(cadre, MARCH)
    with pytest.raises(ValidationError, match="诫勉谈话"):
        services.penalty_action_record(cadre=cadre, year=YEAR, kind="talk", held_on=MARCH,
                                       held_by="组织部副部长", by=org)
    make_violation(cadre, date(YEAR, 4, 1))
    services.penalty_action_record(cadre=cadre, year=YEAR, kind="talk", held_on=date(YEAR, 4, 10),
                                   held_by="组织部副部长", by=org)
    assert ladder_for(cadre_id=cadre.pk, year=YEAR)[1]["talk"].held_by == "组织部副部长"


def test_organisational_handling_needs_three_and_a_measure(people):
    cadre, org = people["cadre"], people["org_department"]
    for month in (3, 4, 5):
        make_violation(cadre, date(YEAR, month, 1))
    with pytest.raises(ValidationError):
        services.penalty_action_record(cadre=cadre, year=YEAR, kind="handling",
                                       held_on=date(YEAR, 6, 1), held_by="县委组织部", by=org)
    services.penalty_action_record(cadre=cadre, year=YEAR, kind="handling", held_on=date(YEAR, 6, 1),
                                   held_by="县委组织部", measure="调离岗位", by=org)
    assert PenaltyAction.objects.get(cadre=cadre, kind="handling").measure == "调离岗位"


def test_decisions_and_appeals_are_announced_after_commit(people, django_capture_on_commit_callbacks):
    from appraisal import events

    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    events.violation_decided.connect(listen, dispatch_uid="t1")
    events.appeal_decided.connect(listen, dispatch_uid="t2")
    try:
        v = make_violation(people["cadre"], MARCH, status="candidate")
        with django_capture_on_commit_callbacks(execute=True):
            services.violation_confirm(violation=v, by=people["org_department"], note="核实")
        appeal = services.appeal_file(violation=v, by=people["cadre"].user, text="理由")
        with django_capture_on_commit_callbacks(execute=True):
            services.appeal_decide(appeal=appeal, by=people["org_department"], overturn=True,
                                   note="撤销")
    finally:
        events.violation_decided.disconnect(dispatch_uid="t1")
        events.appeal_decided.disconnect(dispatch_uid="t2")
    assert heard == [{"signal": events.violation_decided, "violation_id": v.pk, "status": "confirmed"},
                     {"signal": events.appeal_decided, "appeal_id": appeal.pk, "outcome": "overturned"}]


def test_a_spot_check_recorded_through_the_roster_makes_a_candidate(people, directory,
                                                                    django_capture_on_commit_callbacks):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from residency.roster.services.spotchecks import spot_check_record

    make_stay(people["cadre"], directory["v11"], MARCH)
    with django_capture_on_commit_callbacks(execute=True):
        check = spot_check_record(village=directory["v11"],
                                  at=datetime.combine(MARCH, time(22, 0), tzinfo=ZoneInfo("Asia/Shanghai")),
                                  present=False, note="村部无人", by=people["inspector"],
                                  now=datetime.combine(MARCH, time(23, 0), tzinfo=ZoneInfo("Asia/Shanghai")))
    violation = ViolationSignal.objects.get(kind="spot_check_absent", source_id=check.pk).violation
    assert (violation.cadre, violation.status) == (people["cadre"], "candidate")


def test_a_far_check_in_is_a_signal_of_the_nights_incident(people, directory):
    stay = make_stay(people["cadre"], directory["v11"], MARCH, checked_in=True)
    type(stay).objects.filter(pk=stay.pk).update(checkin_far=True)
    _sync()
    incident = Violation.objects.get(cadre=people["cadre"], occurred_on=MARCH)
    assert list(incident.signals.values_list("kind", "source_id")) == [("far_checkin", stay.pk)]
