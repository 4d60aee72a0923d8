"""The 30-minute idle logout writes the session at most once a minute, not on every page."""
from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from residency.access import idle

pytestmark = pytest.mark.django_db


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _logged_in(client, people):
    client.force_login(people["cadre"].user)
    client.get(reverse("home"))
    return _session_row(client)


def test_pages_within_a_minute_do_not_write_the_session(client, people):
    first = _logged_in(client, people)
    with mock.patch.object(idle.time, "time", return_value=idle.time.time() + 30):
        client.get(reverse("home"))
    assert _session_row(client).expire_date == first.expire_date


def test_a_page_a_minute_later_pushes_the_idle_logout_thirty_minutes_on(client, people):
    first = _logged_in(client, people)
    later = idle.time.time() + 61
    with mock.patch.object(idle.time, "time", return_value=later):
        client.get(reverse("home"))
    row = _session_row(client)
    assert row.expire_date > first.expire_date
    assert row.get_decoded()[idle.TOUCHED_KEY] == int(later)


def test_an_idle_session_is_logged_out_after_thirty_minutes(client, people):
    row = _logged_in(client, people)
    assert timedelta(minutes=29) < row.expire_date - timezone.now() <= timedelta(minutes=30)
    # Thirty minutes without a request: the stored expiry has passed.
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_anonymous_visitors_get_no_session_row(client, db):
    client.get(reverse("login"))
    assert not Session.objects.exists()
