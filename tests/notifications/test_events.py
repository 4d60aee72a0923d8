"""Domain events (residency/events.py) notify the people concerned at once, through the
roster's own services; the same event twice is one notification."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.kinds import Kind
from notifications.models import Notification
from residency import events
from residency.models import Leave, RosterWeek, Stay, Swap
from residency.roster import services as roster

from .factories import make_stay, monday_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_monday():
    return monday_of(timezone.localdate()) + timedelta(days=7)


def test_publishing_a_week_tells_each_cadre_his_nights(staff, next_monday, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    make_stay(staff["cadre"], next_monday, published=False)
    make_stay(staff["cadre_other"], next_monday + timedelta(days=1), published=False)
    week = RosterWeek.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        roster.roster_publish(week=week, by=staff["township_admin"])
    notes = Notification.objects.filter(kind=Kind.WEEK_PUBLISHED)
    assert {n.recipient_id for n in notes} == {staff["cadre"].user_id, staff["cadre_other"].user_id}
    assert all(n.subject == f"week:{week.pk}" for n in notes)
    assert {m.to[0] for m in mailoutbox} == {"cadre1@example.org", "cadre2@example.org"}


def test_the_same_event_delivered_twice_notifies_once(staff, next_monday,
                                                      django_capture_on_commit_callbacks):
    stay = make_stay(staff["cadre"], next_monday)
    for _ in range(2):
        events.week_published.send(sender=RosterWeek, township_id=stay.week.township_id,
                                   week_start=stay.week.week_start, stay_ids=[stay.pk])
        events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
    assert Notification.objects.filter(kind=Kind.WEEK_PUBLISHED).count() == 1
    assert Notification.objects.filter(kind=Kind.STAYS_CHANGED).count() == 1


def test_a_changed_stay_tells_the_cadres_affected_their_current_nights(staff, next_monday):
    stay = make_stay(staff["cadre"], next_monday)
    stay.night = next_monday + timedelta(days=2)
    stay.save()
    events.stays_changed.send(sender=Stay, stay_ids=[stay.pk],
                              cadre_ids=[staff["cadre"].pk, staff["cadre_other"].pk])
    texts = dict(Notification.objects.filter(kind=Kind.STAYS_CHANGED)
                 .values_list("recipient_id", "text"))
    night = stay.night
    assert f"{night.month}月{night.day}日 东村" in texts[staff["cadre"].user_id]
    assert "有住夜已取消或调给他人" in texts[staff["cadre_other"].user_id]


def test_a_second_change_is_a_new_notification(staff, next_monday):
    stay = make_stay(staff["cadre"], next_monday)
    events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
    stay.night = next_monday + timedelta(days=1)
    stay.save()
    events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
    assert Notification.objects.filter(kind=Kind.STAYS_CHANGED).count() == 2


def test_leave_request_notifies_the_approver_and_the_decision_the_requester(
        staff, next_monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        leave = roster.leave_request(cadre=staff["cadre"], kind=Leave.Kind.TRAINING,
                                     start=next_monday, end=next_monday, by=staff["cadre"].user)
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (staff["township_admin"].pk, Kind.LEAVE_REQUESTED)]
    with django_capture_on_commit_callbacks(execute=True):
        roster.leave_reject(leave=leave, by=staff["township_admin"], note="工作需要")
    decided = Notification.objects.get(kind=Kind.LEAVE_DECIDED)
    assert decided.recipient_id == staff["cadre"].user_id and "已驳回" in decided.text


def test_swap_request_notifies_the_approver_and_the_decision_the_requester(staff, next_monday):
    stay = make_stay(staff["cadre"], next_monday)
    swap = Swap.objects.create(stay=stay, requested_by=staff["cadre"],
                               colleague=staff["cadre_other"])
    events.swap_requested.send(sender=Swap, swap_id=swap.pk)
    assert Notification.objects.get(kind=Kind.SWAP_REQUESTED).recipient_id == staff["township_admin"].pk
    swap.status, swap.decided_at = Swap.Status.APPROVED, timezone.now()
    swap.save()
    events.swap_decided.send(sender=Swap, swap_id=swap.pk)
    decided = Notification.objects.get(kind=Kind.SWAP_DECIDED)
    assert decided.recipient_id == staff["cadre"].user_id and "已批准" in decided.text


def test_a_failing_notification_never_breaks_the_request_that_caused_it(staff, monkeypatch,
                                                                          caplog):
    def boom(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("notifications.receivers.roster.leave_requested", boom)
    events.leave_requested.send(sender=Leave, leave_id=1)
    assert "could not create leave_requested" in caplog.text
    assert not Notification.objects.exists()
