"""Notice and appeal (issue 10): the cadre learns that a finding was confirmed, with the
appeal deadline and a link; the organisation department that an appeal was filed and that
a ladder step (诫勉谈话, 组织处理) is due; the cadre how the appeal was decided. Each notice
exactly once, however often the event arrives."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from appraisal import events
from appraisal import services as appraisal
from appraisal.models import Violation
from notifications.kinds import Kind
from notifications.models import Notification
from tests.appraisal.factories import make_violation

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 3)


def _candidate(people, night=NIGHT):
    return make_violation(people["cadre"], night, status="candidate", by=None)


def _confirm(people, violation, callbacks):
    with callbacks(execute=True):
        return appraisal.violation_confirm(violation=violation, by=people["org_department"],
                                           note="核实当晚不在村")


def test_a_confirmed_violation_tells_the_cadre_the_appeal_deadline_with_a_link(
        staff, django_capture_on_commit_callbacks):
    v = _confirm(staff, _candidate(staff), django_capture_on_commit_callbacks)
    note = Notification.objects.get(kind=Kind.VIOLATION_CONFIRMED)
    deadline = timezone.localtime(v.decided_at).date() + timedelta(days=15)
    assert note.recipient_id == staff["cadre"].user_id
    assert "3月3日" in note.text and f"{deadline.month}月{deadline.day}日 前提出申诉" in note.text
    assert note.link == reverse("appraisal:violation-detail", args=[v.pk])


@override_settings(APPEAL_DEADLINE_DAYS=7)
def test_the_appeal_deadline_is_a_setting(staff, django_capture_on_commit_callbacks):
    v = _confirm(staff, _candidate(staff), django_capture_on_commit_callbacks)
    deadline = timezone.localtime(v.decided_at).date() + timedelta(days=7)
    assert f"{deadline.month}月{deadline.day}日" in Notification.objects.get(
        kind=Kind.VIOLATION_CONFIRMED).text


def test_a_dismissal_notifies_nobody(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appraisal.violation_dismiss(violation=_candidate(staff), by=staff["org_department"],
                                    note="当晚在村")
    assert not Notification.objects.exists()


def test_each_notice_is_sent_once_when_the_event_arrives_twice(staff, django_capture_on_commit_callbacks):
    v = _confirm(staff, _candidate(staff), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appraisal.appeal_file(violation=v, by=staff["cadre"].user, text="当晚在村部")
    with django_capture_on_commit_callbacks(execute=True):
        appraisal.appeal_decide(appeal=appeal, by=staff["org_department"], overturn=False,
                                note="暗访记录属实")
    for _ in range(2):
        events.violation_decided.send(sender=None, violation_id=v.pk, status="confirmed")
        events.appeal_filed.send(sender=None, appeal_id=appeal.pk)
        events.appeal_decided.send(sender=None, appeal_id=appeal.pk, outcome="upheld")
    counts = {k: Notification.objects.filter(kind=k).count() for k in
              (Kind.VIOLATION_CONFIRMED, Kind.APPEAL_FILED, Kind.APPEAL_DECIDED)}
    assert counts == {Kind.VIOLATION_CONFIRMED: 1, Kind.APPEAL_FILED: 1, Kind.APPEAL_DECIDED: 1}


def test_an_appeal_tells_the_organisation_department_and_its_decision_tells_the_cadre(
        staff, django_capture_on_commit_callbacks):
    v = _confirm(staff, _candidate(staff), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appraisal.appeal_file(violation=v, by=staff["cadre"].user, text="当晚在村部")
    filed = Notification.objects.get(kind=Kind.APPEAL_FILED)
    assert filed.recipient_id == staff["org_department"].pk
    assert "提出申诉" in filed.text
    with django_capture_on_commit_callbacks(execute=True):
        appraisal.appeal_decide(appeal=appeal, by=staff["org_department"], overturn=True,
                                note="有村干部证明")
    decided = Notification.objects.get(kind=Kind.APPEAL_DECIDED)
    assert decided.recipient_id == staff["cadre"].user_id
    assert "撤销认定" in decided.text and "有村干部证明" in decided.text


def test_the_organisation_department_is_told_when_a_talk_and_then_handling_fall_due(
        staff, django_capture_on_commit_callbacks):
    nights = [NIGHT, NIGHT + timedelta(days=7), NIGHT + timedelta(days=14)]
    _confirm(staff, _candidate(staff, nights[0]), django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=Kind.LADDER_STEP_DUE).exists()
    _confirm(staff, _candidate(staff, nights[1]), django_capture_on_commit_callbacks)
    _confirm(staff, _candidate(staff, nights[2]), django_capture_on_commit_callbacks)
    texts = list(Notification.objects.filter(kind=Kind.LADDER_STEP_DUE)
                 .order_by("subject").values_list("recipient_id", "text"))
    assert [r for r, _t in texts] == [staff["org_department"].pk] * 2
    assert "应予诫勉谈话" in texts[0][1] and "应予组织处理" in texts[1][1]


def test_an_appeal_after_the_deadline_is_refused(staff, django_capture_on_commit_callbacks):
    v = _confirm(staff, _candidate(staff), django_capture_on_commit_callbacks)
    Violation.objects.filter(pk=v.pk).update(decided_at=timezone.now() - timedelta(days=16))
    with pytest.raises(ValidationError, match="申诉期限已过"):
        appraisal.appeal_file(violation=Violation.objects.get(pk=v.pk), by=staff["cadre"].user,
                              text="当晚在村部")


def test_the_sweep_re_derives_a_notice_whose_event_was_lost(staff):
    from notifications.services import reminders_sweep

    v = make_violation(staff["cadre"], NIGHT, status="candidate")
    appraisal.violation_confirm(violation=v, by=staff["org_department"], note="核实")  # no on_commit run
    assert not Notification.objects.exists()
    reminders_sweep(at=timezone.now(), kinds={Kind.VIOLATION_CONFIRMED})
    reminders_sweep(at=timezone.now(), kinds={Kind.VIOLATION_CONFIRMED})
    assert Notification.objects.filter(kind=Kind.VIOLATION_CONFIRMED,
                                       recipient_id=staff["cadre"].user_id).count() == 1
