"""Error pages speak Chinese (Django's own are English)."""
import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_a_chinese_404(client, people):
    client.force_login(people["cadre"].user)
    response = client.get("/residency/villages/999999/")
    assert response.status_code == 404
    assert "页面不存在或无权查看" in response.content.decode()


def test_a_refused_page_answers_a_chinese_403(client, people):
    client.force_login(people["cadre"].user)
    response = client.get("/residency/townships/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_stale_form_answers_a_chinese_csrf_page(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["cadre"].user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "系统出错" in html


# --- A database outage (issue 11 item 12; the real one: tests/reliability/) ---------------
# The database going away is the outside world: here it is simulated by making the first
# query of the request raise what psycopg raises when the server is down.

DOWN = "connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"


def test_a_database_outage_in_a_view_answers_a_chinese_503_with_retry_after(client, people):
    from unittest import mock

    from django.db import OperationalError

    from tongxiang.home import HomeView

    client.force_login(people["cadre"].user)
    with mock.patch.object(HomeView, "get", side_effect=OperationalError(DOWN)):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统暂时不可用" in response.content.decode()


def test_a_closed_connection_while_saving_answers_503_not_500(client, people):
    from unittest import mock

    from django.db import InterfaceError

    from tongxiang.home import HomeView

    client.force_login(people["cadre"].user)
    with mock.patch.object(HomeView, "get", side_effect=InterfaceError("connection already closed")):
        response = client.get("/")
    assert response.status_code == 503


def test_a_database_outage_outside_the_view_answers_503_as_well(people):
    """Loading the session happens in a middleware, before any view."""
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client = Client(raise_request_exception=False)
    client.force_login(people["cadre"].user)
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError(DOWN)):
        response = client.get("/")
    assert response.status_code == 503
    assert "系统暂时不可用" in response.content.decode()


def test_any_other_error_is_still_the_chinese_500(people):
    from unittest import mock

    from tongxiang.home import HomeView

    client = Client(raise_request_exception=False)
    client.force_login(people["cadre"].user)
    with mock.patch.object(HomeView, "get", side_effect=ValueError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_connections_are_kept_and_health_checked_so_a_restart_heals_by_itself():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_CONN_MAX_AGE"}
    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
         "'tongxiang.settings.base'; from django.conf import settings as s; "
         "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"],
        capture_output=True, text=True, check=True, env=env).stdout.split()
    assert out == ["60", "True"]


def test_the_database_failing_while_the_session_is_saved_is_503_not_session_deleted(people, settings):
    """Django turns a failed session UPDATE into "session deleted" (400): it is an outage."""
    from unittest import mock

    from django.contrib.sessions.models import Session
    from django.db import OperationalError

    settings.SESSION_IDLE_TOUCH_SECONDS = 0  # this request writes the session (idle clock)
    client = Client(raise_request_exception=False)
    client.force_login(people["cadre"].user)
    with mock.patch.object(Session, "save", side_effect=OperationalError(DOWN)):
        response = client.get("/")
    assert response.status_code == 503
    assert "系统暂时不可用" in response.content.decode()


def test_a_real_bad_request_is_still_400(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
