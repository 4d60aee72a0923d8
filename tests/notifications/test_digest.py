"""One digest, not a flood (issue 12): each person gets at most one in-app digest per
sweep listing what is due; tonight's reminders stay on their own; phones (SMS, 浙政钉)
only for tonight's stay and urgent reminders; every listed reminder still exactly once."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from nightlog.models import Problem, Visit
from notifications.kinds import Kind
from notifications.models import Channel, Delivery, DigestItem, Notification
from notifications.reminder import Reminder
from notifications.services import digests_create, notifications_create, reminders_sweep
from notifications.services.digest import digest_text
from notifications.timing import overdue_reminder_due
from residency.models import Leave
from tests.residency.factories import make_household

from .factories import local, make_stay

pytestmark = pytest.mark.django_db
MON = date(2026, 3, 2)  # a Monday


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def sweep(moment, *kinds):
    with _capture(execute=True):
        return reminders_sweep(at=moment, kinds=set(kinds) or None)


def _problems(staff, directory, owner, dues):
    household = make_household(directory["v11"], head="王大明")
    visit = Visit.objects.create(cadre=staff["cadre"], household=household,
                                 visited_at=local(2026, 2, 1, 20, 0), situation="正常",
                                 created_at=local(2026, 2, 1, 20, 0))
    return [Problem.objects.create(village=directory["v11"], visit=visit, raised_by=staff["cadre"],
                                   household=household, summary=f"问题{i}", owner=owner,
                                   due_date=due, status="raised")
            for i, due in enumerate(dues)]


def test_one_digest_per_person_per_sweep_listing_everything_due(staff, directory, mailoutbox, sms):
    cadre = staff["cadre"]
    # Due on Monday morning: three overdue problems (1, 3 and 7 days), household ties
    # (no ties at all), and a stay tonight.
    _problems(staff, directory, cadre.user, [MON - timedelta(days=d) for d in (1, 3, 7)])
    make_stay(cadre, MON)

    result = sweep(local(2026, 3, 2, 16, 0))

    mine = Notification.objects.filter(recipient=cadre.user)
    assert sorted(mine.values_list("kind", flat=True)) == [Kind.DIGEST, Kind.STAY_TONIGHT]
    digest = mine.get(kind=Kind.DIGEST)
    assert digest.text.startswith("待办汇总（4 项）：3 个问题已过办结期限；")
    assert "每位干部至少联系 5 户" in digest.text
    assert result.digested[Kind.PROBLEM_OVERDUE] == 3
    # Every other person got at most one digest too.
    per_person = Notification.objects.filter(kind=Kind.DIGEST).values_list("recipient_id", flat=True)
    assert len(per_person) == len(set(per_person))
    # The digest goes by e-mail only; tonight's stay by e-mail and SMS.
    channels = set(Delivery.objects.filter(notification=digest).values_list("channel", flat=True))
    assert channels == {Channel.EMAIL}
    assert [s["text"] for s in sms if s["phone"] == "13800000001"] == ["今晚您在东村住夜。"]
    assert any("待办汇总" in m.subject and m.to == ["cadre1@example.org"] for m in mailoutbox)


def test_a_sweep_run_again_lists_nothing_twice(staff, directory):
    _problems(staff, directory, staff["cadre"].user, [MON - timedelta(days=1)])
    sweep(local(2026, 3, 2, 8, 30), Kind.PROBLEM_OVERDUE)
    from notifications.models import SweepMark

    SweepMark.objects.all().delete()  # even recomputed, the items are already listed
    again = sweep(local(2026, 3, 2, 8, 30), Kind.PROBLEM_OVERDUE)
    later = sweep(local(2026, 3, 2, 8, 35), Kind.PROBLEM_OVERDUE)
    assert again.digested == {Kind.PROBLEM_OVERDUE: 0} and again.created == {Kind.DIGEST: 0}
    assert later.digested == {Kind.PROBLEM_OVERDUE: 0}
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 1
    assert DigestItem.objects.count() == 1


def test_a_reminder_already_sent_on_its_own_is_not_listed_again(staff):
    leave = Leave.objects.create(cadre=staff["cadre"], kind=Leave.Kind.TRAINING, start=MON, end=MON)
    from notifications.rules import roster

    with _capture(execute=True):  # the event's own notification, at once
        notifications_create(reminders=roster.leave_requested(leave_ids=[leave.pk]))
    from django.utils import timezone

    result = sweep(timezone.now(), Kind.LEAVE_REQUESTED)  # the catch-up finds it sent
    assert result.digested == {Kind.LEAVE_REQUESTED: 0}
    assert not DigestItem.objects.exists()
    assert Notification.objects.filter(kind=Kind.LEAVE_REQUESTED).count() == 1


def test_two_sweeps_racing_at_the_same_moment_share_one_digest(staff):
    user = staff["cadre"].user
    at = local(2026, 3, 2, 8, 30)

    def remind(n):
        return Reminder(recipient_id=user.pk, kind=Kind.PROBLEM_OVERDUE, subject=f"problem:{n}",
                        date=MON, text=f"问题{n}已过办结期限。")

    with _capture(execute=True):
        first, _ = digests_create(reminders=[remind(1)], at=at)
        second, counts = digests_create(reminders=[remind(1), remind(2)], at=at)
    assert len(first) == 1 and second == [] and counts == {Kind.PROBLEM_OVERDUE: 1}
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert set(DigestItem.objects.values_list("sweep", flat=True)) == {digest.subject}


def test_the_digest_page_lists_each_item_with_its_link(client, staff, directory,
                                                      django_assert_max_num_queries):
    user = staff["cadre"].user
    _problems(staff, directory, user, [MON - timedelta(days=d) for d in (1, 3)])
    sweep(local(2026, 3, 2, 8, 30), Kind.PROBLEM_OVERDUE)
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert digest.link == reverse("notifications:digest-detail", args=[digest.pk])
    client.force_login(user)
    with django_assert_max_num_queries(12):
        html = client.get(digest.link).content.decode()
    assert html.count('data-testid="digest-item"') == 2 and "问题0" in html and "问题1" in html
    client.force_login(staff["cadre_other"].user)  # someone else's digest: not found
    assert client.get(digest.link).status_code == 404


def test_a_single_item_digest_reads_and_links_as_the_item():
    item = Reminder(recipient_id=1, kind=Kind.TIES_INCOMPLETE, subject="cadre:1", date=MON,
                    text="您目前联系 3 户农户，每位干部至少联系 5 户。")
    assert digest_text([item]) == item.text


def test_a_long_digest_is_cut_to_the_notification_length():
    items = [Reminder(recipient_id=1, kind=Kind.REVIEW_MEETING, subject=f"m:{i}", date=MON,
                      text="东村" * 40) for i in range(1)] + [
        Reminder(recipient_id=1, kind=Kind.ROSTER_GAPS, subject=f"t:{i}", date=MON,
                 text="下周有缺口" * 30) for i in range(3)]
    text = digest_text(items)
    assert len(text) == 300 and text.endswith("…")


@pytest.mark.parametrize(("days", "due"), [
    (0, False), (1, True), (2, False), (3, True), (4, False), (6, False), (7, True),
    (8, False), (13, False), (14, True), (21, True), (22, False), (70, True)])
def test_an_overdue_problem_reminds_on_days_1_3_7_then_weekly(days, due):
    assert overdue_reminder_due(days) is due


# --- phones only for tonight's stay and urgent reminders -----------------------------------


def _create(user, **kw):
    base = {"recipient_id": user.pk, "subject": "x:1", "date": MON, "text": "t"}
    with _capture(execute=True):
        return notifications_create(reminders=[Reminder(**{**base, **kw})],
                                    at=local(2026, 3, 2, 16, 0))


@pytest.mark.parametrize(("kind", "extra", "phone"), [
    (Kind.STAY_TONIGHT, {}, True),
    (Kind.CHECKIN_MISSING, {"urgent": True}, True),
    (Kind.STAYS_CHANGED, {"tonight": True}, True),  # tonight's night moved
    (Kind.STAYS_CHANGED, {}, False),  # a change to another night
    (Kind.WEEK_PUBLISHED, {}, False),
    (Kind.DIGEST, {}, False),
])
def test_only_tonights_stay_and_urgent_reminders_go_to_a_phone(staff, sms, kind, extra, phone):
    from notifications.models import NotificationPreference

    user = staff["cadre"].user
    NotificationPreference.objects.create(user=user, kind=kind, email=True, sms=True)
    [n_id] = _create(user, kind=kind, **extra)
    channels = set(Delivery.objects.filter(notification_id=n_id).values_list("channel", flat=True))
    assert (Channel.SMS in channels) is phone
    assert bool(sms) is phone


def test_a_change_to_tonights_stay_reaches_the_phone_a_later_one_does_not(staff, sms):
    from notifications.rules import roster

    tonight = make_stay(staff["cadre"], MON)
    later = make_stay(staff["cadre_other"], MON + timedelta(days=2))
    reminders = roster.stays_changed(stay_ids=[tonight.pk, later.pk],
                                     cadre_ids=[tonight.cadre_id, later.cadre_id],
                                     at=local(2026, 3, 2, 15, 0))
    assert {r.recipient_id: r.tonight for r in reminders} == {
        staff["cadre"].user_id: True, staff["cadre_other"].user_id: False}


def test_the_preferences_offer_a_phone_only_where_one_can_be_used(client, staff):
    client.force_login(staff["cadre"].user)
    html = client.get(reverse("notifications:preference-update")).content.decode()
    assert 'name="sms_stay_tonight"' in html and 'name="sms_checkin_missing"' in html
    assert 'name="sms_problem_overdue"' not in html and 'name="sms_digest"' not in html
    assert "待办汇总" in html


@pytest.mark.django_db(transaction=True)
def test_sweeps_racing_in_four_threads_list_each_item_once_in_one_digest(
        require_postgres, staff, directory, monkeypatch):
    from .racing import run_concurrently

    monkeypatch.setattr("notifications.services.create.deliver_each_on_commit",
                        lambda args: None)
    _problems(staff, directory, staff["cadre"].user, [MON - timedelta(days=d) for d in (1, 3, 7)])
    errors = run_concurrently(
        lambda: reminders_sweep(at=local(2026, 3, 2, 8, 30), kinds={Kind.PROBLEM_OVERDUE}), 4)
    assert errors == []
    assert DigestItem.objects.filter(kind=Kind.PROBLEM_OVERDUE).count() == 3
    assert Notification.objects.filter(recipient=staff["cadre"].user, kind=Kind.DIGEST).count() == 1
    digest = Notification.objects.get(recipient=staff["cadre"].user, kind=Kind.DIGEST)
    assert set(DigestItem.objects.filter(recipient=staff["cadre"].user).values_list(
        "sweep", flat=True)) == {digest.subject}
