"""Channels: in-app always, e-mail and SMS per the user's choices and quiet hours; each
channel recorded, so a retry resends only what failed and never a second SMS."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from notifications.kinds import Kind
from notifications.models import Channel, Delivery, Notification, NotificationPreference, QuietHours
from notifications.reminder import Reminder
from notifications.services import (
    DeliveryFailed,
    deliveries_due,
    notification_deliver,
    notifications_create,
    reminders_sweep,
)

from . import gateway
from .factories import local
from .racing import run_concurrently

MON = date(2026, 3, 2)


def remind(user, *, kind=Kind.STAY_TONIGHT, subject="stay:1", urgent=False, expires_at=None):
    return Reminder(recipient_id=user.pk, kind=kind, subject=subject, date=MON,
                    text="今晚您在东村住夜。", urgent=urgent, expires_at=expires_at)


def create(captured, user, at, **kw):
    with captured(execute=True):
        return notifications_create(reminders=[remind(user, **kw)], at=at)


def statuses(n_id):
    return dict(Delivery.objects.filter(notification_id=n_id).values_list("channel", "status"))


@pytest.mark.django_db
class TestChannels:
    def test_in_app_email_and_sms_each_once(self, staff, sms, mailoutbox,
                                            django_capture_on_commit_callbacks):
        user = staff["cadre"].user
        [n_id] = create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 16))
        assert Notification.objects.filter(recipient=user).count() == 1
        assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cadre1@example.org"]
        assert "今晚您在东村住夜" in mailoutbox[0].body
        assert sms == [{"phone": "13800000001", "text": "今晚您在东村住夜。",
                        "key": f"delivery-{Delivery.objects.get(channel='sms').pk}"}]
        assert statuses(n_id) == {Channel.EMAIL: "sent", Channel.SMS: "sent"}

    def test_the_same_reminder_twice_is_one_notification(self, staff, sms, mailoutbox,
                                                          django_capture_on_commit_callbacks):
        user = staff["cadre"].user
        assert create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 16))
        assert create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 16, 5)) == []
        assert Notification.objects.count() == 1 and len(mailoutbox) == 1 and len(sms) == 1

    def test_a_user_can_turn_email_and_sms_off_per_kind(self, staff, sms, mailoutbox,
                                                        django_capture_on_commit_callbacks):
        user = staff["cadre"].user
        NotificationPreference.objects.create(user=user, kind=Kind.STAY_TONIGHT, email=False,
                                              sms=False)
        create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 16))
        create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 21, 30),
               kind=Kind.CHECKIN_MISSING)
        assert Notification.objects.filter(recipient=user).count() == 2  # in-app always
        assert [m.subject for m in mailoutbox] == ["【住村·夜班·评议】住夜未签到"]
        assert len(sms) == 1

    def test_without_an_address_the_channel_is_recorded_as_skipped(self, people, sms,
                                                                   django_capture_on_commit_callbacks):
        [n_id] = create(django_capture_on_commit_callbacks, people["cadre"].user,
                        local(2026, 3, 2, 16))
        assert statuses(n_id) == {Channel.EMAIL: "skipped", Channel.SMS: "sent"}

    def test_quiet_hours_hold_a_non_urgent_sms_until_morning(self, staff, sms, mailoutbox,
                                                             django_capture_on_commit_callbacks):
        user = staff["cadre"].user
        late = local(2026, 3, 2, 22, 30)
        [n_id] = create(django_capture_on_commit_callbacks, user, late,
                        kind=Kind.STAY_TONIGHT)
        assert len(mailoutbox) == 1 and sms == []  # e-mail now, SMS waits
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(at=local(2026, 3, 3, 6, 55), kinds={"none"})
        assert sms == []
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(at=local(2026, 3, 3, 7, 0), kinds={"none"})
        assert len(sms) == 1 and statuses(n_id)[Channel.SMS] == "sent"
        assert len(mailoutbox) == 1

    def test_an_sms_sent_late_waits_if_quiet_hours_have_begun_meanwhile(self, staff, sms,
                                                                        mailoutbox):
        # Created at 21:50 (not quiet) but never delivered then (broker down); the sweep at
        # 22:10 must not send it in quiet hours: it waits until 07:00.
        [n_id] = notifications_create(at=local(2026, 3, 2, 21, 50), reminders=[
            remind(staff["cadre"].user, kind=Kind.STAY_TONIGHT)])
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 22, 10))
        assert sms == [] and len(mailoutbox) == 1
        sms_row = Delivery.objects.get(notification_id=n_id, channel=Channel.SMS)
        assert (sms_row.status, sms_row.not_before) == ("pending", local(2026, 3, 3, 7, 0))
        assert deliveries_due(at=local(2026, 3, 2, 23, 0)) == []
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 3, 7, 0))
        assert len(sms) == 1 and len(mailoutbox) == 1

    def test_urgent_sms_ignores_quiet_hours(self, staff, sms, django_capture_on_commit_callbacks):
        create(django_capture_on_commit_callbacks, staff["cadre"].user, local(2026, 3, 2, 23),
               kind=Kind.CHECKIN_MISSING, urgent=True)
        assert len(sms) == 1

    def test_a_user_can_change_or_turn_off_quiet_hours(self, staff, sms,
                                                       django_capture_on_commit_callbacks):
        user = staff["cadre"].user
        QuietHours.objects.create(user=user, enabled=False, start=time(22), end=time(7))
        create(django_capture_on_commit_callbacks, user, local(2026, 3, 2, 23),
               kind=Kind.STAY_TONIGHT)
        assert len(sms) == 1


@pytest.mark.django_db
class TestRetries:
    def test_a_failed_sms_is_retried_alone_never_a_second_email(self, staff, sms, mailoutbox,
                                                                django_capture_on_commit_callbacks):
        gateway.FAIL_NEXT.append("refuse")
        [n_id] = create(django_capture_on_commit_callbacks, staff["cadre"].user,
                        local(2026, 3, 2, 16))
        assert statuses(n_id) == {Channel.EMAIL: "sent", Channel.SMS: "failed"}
        assert len(mailoutbox) == 1 and sms == []

        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 5))
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 6))

        assert len(mailoutbox) == 1 and len(sms) == 1
        assert statuses(n_id) == {Channel.EMAIL: "sent", Channel.SMS: "sent"}
        assert Delivery.objects.get(channel="sms").attempts == 2

    def test_a_failing_channel_raises_so_the_task_retries(self, staff):
        gateway.FAIL_NEXT.append("refuse")
        [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                      at=local(2026, 3, 2, 16))
        with pytest.raises(DeliveryFailed):
            notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16))

    def test_a_reminder_for_a_night_that_has_passed_is_dropped_not_sent(self, staff, sms,
                                                                        mailoutbox):
        expires = local(2026, 3, 3, 0, 0)
        [n_id] = notifications_create(reminders=[remind(staff["cadre"].user, expires_at=expires)],
                                      at=local(2026, 3, 2, 16))  # enqueue never ran (broker down)
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 3, 7, 0))
        assert sms == [] and mailoutbox == []
        assert statuses(n_id) == {Channel.EMAIL: "skipped", Channel.SMS: "skipped"}

    def test_a_send_whose_worker_died_is_never_repeated(self, staff, sms, mailoutbox):
        [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                      at=local(2026, 3, 2, 16))
        # A worker claimed the SMS and died before recording the outcome.
        Delivery.objects.filter(notification_id=n_id, channel="sms").update(
            status="sending", attempts=1, claimed_at=timezone.now() - timedelta(minutes=10))
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 30))
        assert sms == [] and len(mailoutbox) == 1
        assert statuses(n_id) == {Channel.EMAIL: "sent", Channel.SMS: "gave_up"}

    def test_a_send_in_progress_elsewhere_is_left_alone(self, staff, sms):
        [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                      at=local(2026, 3, 2, 16))
        Delivery.objects.filter(notification_id=n_id, channel="sms").update(
            status="sending", attempts=1, claimed_at=timezone.now())
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 1))
        assert sms == [] and statuses(n_id)[Channel.SMS] == "sending"

    def test_gives_up_after_the_maximum_attempts(self, staff, sms, settings):
        settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
        [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                      at=local(2026, 3, 2, 16))
        for _ in range(2):
            gateway.FAIL_NEXT.append("refuse")
            with pytest.raises(DeliveryFailed):
                notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16))
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16))
        assert sms == [] and statuses(n_id)[Channel.SMS] == "gave_up"


@pytest.mark.django_db(transaction=True)
def test_racing_deliveries_send_each_channel_once(require_postgres, staff, sms, mailoutbox,
                                                 monkeypatch):
    # Nothing enqueued after commit (as with the broker down): six workers then race.
    monkeypatch.setattr("notifications.services.create.deliver_each_on_commit",
                        lambda args: None)
    [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                  at=local(2026, 3, 2, 16))
    assert sms == [] and mailoutbox == []
    errors = run_concurrently(
        lambda: notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16)), 6)
    assert errors == []
    assert len(sms) == 1 and len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_task_stopped_right_after_the_sms_went_out_never_sends_it_again(staff, sms):
    from celery.exceptions import SoftTimeLimitExceeded

    [n_id] = notifications_create(reminders=[remind(staff["cadre"].user)],
                                  at=local(2026, 3, 2, 16))
    gateway.FAIL_NEXT.append("die_after_send")
    with pytest.raises(SoftTimeLimitExceeded):
        notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16))
    notification_deliver(notification_id=n_id, as_of=local(2026, 3, 2, 16, 5))
    assert len(sms) == 1
    assert statuses(n_id) == {Channel.EMAIL: "sent", Channel.SMS: "gave_up"}
