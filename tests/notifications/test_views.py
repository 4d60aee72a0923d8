"""Inbox (paginated), mark read / all read, the unread badge (one query) and preferences."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.kinds import Kind
from notifications.models import Notification, NotificationPreference, QuietHours

pytestmark = pytest.mark.django_db
INBOX = reverse("notifications:notification-list")


def give(user, n, *, read=False, link=""):
    from django.utils import timezone

    Notification.objects.bulk_create([
        Notification(recipient=user, kind=Kind.STAY_TONIGHT, subject=f"stay:{uuid.uuid4().hex[:8]}",
                     date=date(2026, 3, 2), text=f"今晚您在东村住夜。#{i}", link=link,
                     token=uuid.uuid4(), read_at=timezone.now() if read else None)
        for i in range(n)])


@pytest.fixture
def cadre_client(client, people):
    client.force_login(people["cadre"].user)
    return client


def test_inbox_lists_only_my_notifications_newest_first(cadre_client, people):
    give(people["cadre"].user, 2)
    give(people["cadre_other"].user, 1)
    page = cadre_client.get(INBOX)
    assert page.status_code == 200
    assert len(page.context["notifications"]) == 2
    assert "今晚您在东村住夜。" in page.content.decode()


def test_inbox_is_paginated_and_has_an_empty_state(cadre_client, people):
    assert "暂无消息" in cadre_client.get(INBOX).content.decode()
    give(people["cadre"].user, 60)
    page = cadre_client.get(INBOX)
    assert len(page.context["notifications"]) == 50
    assert len(cadre_client.get(INBOX + "?page=2").context["notifications"]) == 10


def test_inbox_query_count_does_not_grow_with_notifications(cadre_client, people,
                                                            django_assert_max_num_queries):
    give(people["cadre"].user, 10)
    with CaptureQueriesContext(connection) as small:
        cadre_client.get(INBOX)
    give(people["cadre"].user, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert cadre_client.get(INBOX).status_code == 200


def test_unread_filter(cadre_client, people):
    give(people["cadre"].user, 2, read=True)
    give(people["cadre"].user, 1)
    assert len(cadre_client.get(INBOX + "?unread=1").context["notifications"]) == 1


def test_the_nav_badge_shows_unread_count_with_one_query(people, django_assert_num_queries):
    user = people["cadre"].user
    give(user, 3)
    give(user, 2, read=True)
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load notifications_tags %}{% unread_notifications as n %}{{ n|badge }}"
                        "{% unread_notifications as again %}{{ again }}")
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "33"


def test_the_badge_caps_at_99_plus(people):
    give(people["cadre"].user, 120)
    request = RequestFactory().get("/")
    request.user = people["cadre"].user
    html = Template("{% load notifications_tags %}{% unread_notifications as n %}{{ n|badge }}"
                    ).render(Context({"request": request}))
    assert html == "99+"


def test_every_page_shows_the_badge_at_a_constant_cost(cadre_client, people,
                                                       django_assert_max_num_queries):
    give(people["cadre"].user, 2)
    with CaptureQueriesContext(connection) as small:
        home = cadre_client.get(reverse("home"))
    assert 'data-testid="unread-badge"' in home.content.decode()
    give(people["cadre"].user, 50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        cadre_client.get(reverse("home"))


def test_mark_read_follows_the_link_and_marks_only_that_one(cadre_client, people):
    give(people["cadre"].user, 2, link="/residency/villages/")
    first = Notification.objects.filter(recipient=people["cadre"].user).first()
    response = cadre_client.post(reverse("notifications:notification-read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/residency/villages/"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_mark_read_never_redirects_off_site(cadre_client, people):
    give(people["cadre"].user, 1, link="https://evil.example.com/")
    n = Notification.objects.get()
    response = cadre_client.post(reverse("notifications:notification-read", args=[n.pk]))
    assert response["Location"] == INBOX


def test_someone_elses_notification_is_404(cadre_client, people):
    give(people["cadre_other"].user, 1)
    n = Notification.objects.get()
    assert cadre_client.post(reverse("notifications:notification-read", args=[n.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_read_needs_post(cadre_client, people):
    give(people["cadre"].user, 1)
    n = Notification.objects.get()
    assert cadre_client.get(reverse("notifications:notification-read", args=[n.pk])).status_code == 405


def test_mark_all_read(cadre_client, people):
    give(people["cadre"].user, 3)
    give(people["cadre_other"].user, 1)
    response = cadre_client.post(reverse("notifications:notification-read-all"), follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_anonymous_goes_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preferences_turn_channels_off_per_kind_and_set_quiet_hours(cadre_client, people):
    page = cadre_client.get(reverse("notifications:preference-update"))
    assert page.status_code == 200 and "今晚住夜提醒" in page.content.decode()
    data = {"quiet_enabled": "on", "quiet_start": "21:00", "quiet_end": "06:30"}
    for kind in Kind.values:
        data[f"email_{kind}"] = "on"
    data[f"sms_{Kind.CHECKIN_MISSING}"] = "on"
    response = cadre_client.post(reverse("notifications:preference-update"), data)
    assert response.status_code == 302
    user = people["cadre"].user
    pref = NotificationPreference.objects.get(user=user, kind=Kind.STAY_TONIGHT)
    assert (pref.email, pref.sms) == (True, False)
    assert NotificationPreference.objects.get(user=user, kind=Kind.CHECKIN_MISSING).sms
    hours = QuietHours.objects.get(user=user)
    assert (hours.start.hour, hours.end.hour, hours.end.minute) == (21, 6, 30)


@pytest.mark.parametrize("start,end,message", [
    ("22:00", "22:00", "开始和结束时间不能相同"),
    ("25:00", "07:00", ""),
])
def test_bad_quiet_hours_are_refused_and_nothing_is_saved(cadre_client, people, start, end, message):
    response = cadre_client.post(reverse("notifications:preference-update"),
                                 {"quiet_enabled": "on", "quiet_start": start, "quiet_end": end})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors
    assert not QuietHours.objects.exists() and not NotificationPreference.objects.exists()


def test_preferences_page_costs_the_same_with_every_kind_chosen(cadre_client, people,
                                                                django_assert_max_num_queries):
    url = reverse("notifications:preference-update")
    with CaptureQueriesContext(connection) as few:
        cadre_client.get(url)
    for kind in Kind.values:
        NotificationPreference.objects.create(user=people["cadre"].user, kind=kind, sms=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = cadre_client.get(url)
    assert page.content.decode().count("checked") >= len(Kind.values)


def test_system_admin_can_inspect_notifications_and_deliveries(client, people):
    give(people["cadre"].user, 3)
    client.force_login(people["system_admin"])
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    n = Notification.objects.first()
    assert client.get(reverse("admin:notifications_notification_change", args=[n.pk])).status_code == 200
    assert client.get(reverse("admin:notifications_delivery_changelist")).status_code == 200


def badge_of(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load notifications_tags %}{% unread_notifications as n %}{{ n|badge }}"
                    ).render(Context({"request": request}))


def test_the_badge_is_kept_in_the_cache_and_forgotten_when_notifications_change(
        cadre_client, people, django_assert_num_queries):
    from notifications.reminder import Reminder
    from notifications.services import notifications_create

    user = people["cadre"].user
    give(user, 2)
    assert badge_of(user) == "2"
    with django_assert_num_queries(0):
        assert badge_of(user) == "2"  # from the cache
    notifications_create(reminders=[Reminder(recipient_id=user.pk, kind=Kind.STAY_TONIGHT,
                                             subject="stay:new", date=date(2026, 3, 3),
                                             text="今晚您在东村住夜。")])
    assert badge_of(user) == "3"
    first = Notification.objects.filter(recipient=user).first()
    cadre_client.post(reverse("notifications:notification-read", args=[first.pk]))
    assert badge_of(user) == "2"
    cadre_client.post(reverse("notifications:notification-read-all"))
    assert badge_of(user) == "0"
