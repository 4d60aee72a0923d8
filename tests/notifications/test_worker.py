"""Against the REAL Redis with a REAL Celery worker (celery.contrib.testing): the
reliability promises of issue 6. Skipped on a laptop without Redis, failed in CI.

Each test gets its own queue on the broker, committed data (``transaction=True``: the
worker thread has its own database connection) and hard timeouts so CI cannot hang."""
from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications import tasks
from notifications.kinds import Kind
from notifications.models import Delivery, Notification, NotificationPreference, QuietHours
from notifications.reminder import Reminder
from notifications.services import notifications_create, reminders_sweep
from residency.models import RosterWeek
from residency.nights.isoweek import format_week
from tongxiang.celery import app

from . import gateway
from .factories import make_stay, monday_of
from .racing import run_concurrently

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
SETTLE_SECONDS = 20


@pytest.fixture(autouse=True)
def watchdog():
    """A hard stop: if a test here is stuck for 120 s, dump the stacks and exit, so CI
    fails instead of hanging (pytest-timeout is not installed)."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _reset_connections() -> None:
    """Forget pooled broker connections so a changed broker_url takes effect."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def _conf(**values) -> None:
    """Set Celery settings. The app reads Django's CELERY_* names first, so set both."""
    for key, value in values.items():
        app.conf[key] = value
        app.conf[f"CELERY_{key.upper()}"] = value


@contextmanager
def broker(url: str, *, visibility_timeout: int | None = None):
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_connection_timeout",
            "broker_connection_retry", "broker_connection_max_retries",
            "broker_transport_options")
    saved = {k: app.conf.get(k) for k in keys}
    options = dict(saved.get("broker_transport_options") or {})
    if visibility_timeout is not None:
        options["visibility_timeout"] = visibility_timeout
    _conf(broker_url=url, task_always_eager=False,
          task_default_queue=saved.get("task_default_queue") or "celery",
          broker_connection_timeout=2, broker_connection_retry=False,
          broker_connection_max_retries=1, broker_transport_options=options)
    _reset_connections()
    try:
        yield
    finally:
        _conf(**saved)
        _reset_connections()


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """These tests run at any hour: no quiet hours, so SMS are due at once."""
    settings.NOTIFICATIONS_QUIET_HOURS = ("00:00", "00:00")


@pytest.fixture
def redis_app(redis_url):
    queue = f"test-notify-{uuid.uuid4().hex[:10]}"
    with broker(redis_url):
        _conf(task_default_queue=queue)
        try:
            yield queue
        finally:
            # Drop anything left on this test's queue (and its exchange binding).
            with app.connection_for_write() as conn:
                conn.default_channel.client.delete(queue, f"_kombu.binding.{queue}")


@contextmanager
def worker(queue: str, *, concurrency: int = 1, pool: str = "solo"):
    with start_worker(app, pool=pool, concurrency=concurrency, perform_ping_check=False,
                      queues=[queue], shutdown_timeout=15, loglevel="WARNING") as w:
        yield w
    connection.close()


def settle(predicate, timeout: float = SETTLE_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    left = list(Delivery.objects.exclude(status="sent").values_list(
        "notification_id", "notification__kind", "channel", "status", "not_before", "note"))
    raise AssertionError(f"the worker did not finish in time; not sent: {left}")


def changed_mail(outbox) -> list:
    return [m for m in outbox if "住夜安排变动" in m.subject]


def nothing_pending() -> bool:
    return not Delivery.objects.filter(status__in=["pending", "sending"]).exists()


@pytest.fixture
def tonight(staff):
    """Three published stays tonight (real today), so nothing has expired. In the last
    minute before midnight the night would end mid-test: wait for the next day."""
    now = timezone.localtime()
    if (now.hour, now.minute) == (23, 59):
        time.sleep(61 - now.second)
    today = timezone.localdate()
    for key in ("cadre", "cadre_other", "cadre_far"):
        make_stay(staff[key], today)
    now = timezone.localtime()
    return now.replace(hour=16, minute=0, second=0, microsecond=0) if now.hour < 16 else now


def test_a_sweep_run_twice_and_concurrently_sends_each_reminder_once(
        require_postgres, redis_app, tonight, sms, mailoutbox):
    # PostgreSQL: SQLite's in-memory test database cannot take concurrent writers.
    at = tonight.isoformat()
    # Three sweeps queued for the worker, and two more in threads racing it (as a second
    # and third worker process would).
    with worker(redis_app):
        for _ in range(3):
            tasks.sweep.delay(at=at)
        errors = run_concurrently(lambda: reminders_sweep(at=tonight), 2)
        settle(lambda: Notification.objects.filter(kind=Kind.STAY_TONIGHT).count() == 3
               and nothing_pending() and len(sms) >= 3)
        tasks.sweep.delay(at=at)  # and a late duplicate from beat
        time.sleep(1)
        settle(nothing_pending)
    assert errors == []
    tonight_notes = Notification.objects.filter(kind=Kind.STAY_TONIGHT)
    assert tonight_notes.count() == 3
    stay_sms = [s for s in sms if "住夜" in s["text"] and s["text"].startswith("今晚您在")]
    assert sorted(s["phone"] for s in stay_sms) == ["13800000001", "13800000002", "13800000003"]
    stay_mail = [m for m in mailoutbox if "今晚您在" in m.body]
    assert sorted(m.to[0] for m in stay_mail) == [
        "cadre1@example.org", "cadre2@example.org", "cadre3@example.org"]


def test_with_redis_down_publishing_still_works_and_the_next_sweep_delivers(
        redis_url, redis_app, staff, client, sms, mailoutbox, caplog):
    monday = monday_of(timezone.localdate()) + timedelta(days=7)
    make_stay(staff["cadre"], monday, published=False)
    make_stay(staff["cadre_other"], monday + timedelta(days=1), published=False)
    week = RosterWeek.objects.get()
    for key in ("cadre", "cadre_other"):  # SMS asked for, but a publication is not tonight's
        NotificationPreference.objects.create(user=staff[key].user, kind=Kind.WEEK_PUBLISHED,
                                              email=True, sms=True)
    client.force_login(staff["township_admin"])
    url = reverse("residency:roster-publish", args=[week.township_id, format_week(monday)])

    with broker(CLOSED_PORT_URL):
        started = time.monotonic()
        response = client.post(url)
        assert time.monotonic() - started < 10  # fails fast, does not hang the request
    assert response.status_code == 302
    week.refresh_from_db()
    assert week.status == RosterWeek.Status.PUBLISHED
    # The reminders are in the database, undelivered; the broker error was logged.
    assert Notification.objects.filter(kind=Kind.WEEK_PUBLISHED).count() == 2
    assert Delivery.objects.filter(status="pending").count() == 2  # e-mail only
    assert sms == [] and mailoutbox == []
    assert "could not enqueue" in caplog.text

    # Redis is back: beat's next sweep finds and sends them, once.
    with worker(redis_app):
        tasks.sweep.delay()
        settle(lambda: nothing_pending() and len(mailoutbox) >= 2)
        tasks.sweep.delay()
        time.sleep(1)
        settle(nothing_pending)
    assert sms == []  # phones only for tonight's stay and urgent reminders
    published = [m for m in mailoutbox if "排班已发布" in m.subject]
    assert sorted(m.to[0] for m in published) == ["cadre1@example.org", "cadre2@example.org"]
    assert Notification.objects.filter(kind=Kind.WEEK_PUBLISHED).count() == 2


def test_a_task_failing_mid_way_is_rerun_without_a_second_notification(redis_app, staff, sms,
                                                                       mailoutbox):
    stay = make_stay(staff["cadre"], timezone.localdate())
    gateway.FAIL_NEXT.append("refuse")  # e-mail goes out, then the SMS gateway refuses
    with worker(redis_app):
        from residency import events
        from residency.models import Stay

        events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
        settle(lambda: len(sms) == 1 and nothing_pending()
               and not Delivery.objects.filter(status="failed").exists())
        # The same task delivered again (as after a lost worker) sends nothing more.
        n = Notification.objects.get(kind=Kind.STAYS_CHANGED)
        tasks.deliver.delay(n.pk)
        tasks.deliver.delay(n.pk)
        time.sleep(1)
        settle(nothing_pending)
    assert Notification.objects.filter(kind=Kind.STAYS_CHANGED).count() == 1
    assert len(changed_mail(mailoutbox)) == 1 and len(sms) == 1
    sms_row = Delivery.objects.get(channel="sms", notification=n)
    assert (sms_row.status, sms_row.attempts) == ("sent", 2)


def test_a_task_killed_after_sending_is_rerun_without_a_second_sms(redis_app, staff, sms,
                                                                   mailoutbox):
    stay = make_stay(staff["cadre"], timezone.localdate())
    gateway.FAIL_NEXT.append("die_after_send")
    with worker(redis_app):
        from residency import events
        from residency.models import Stay

        events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
        settle(lambda: len(sms) == 1 and nothing_pending())
        n = Notification.objects.get(kind=Kind.STAYS_CHANGED)
        tasks.deliver.delay(n.pk)  # re-run (redelivered message, or the next sweep)
        tasks.sweep.delay()
        time.sleep(1)
        settle(nothing_pending)
    # Only this notification's SMS counts: late in the evening the sweep also sends the
    # stay's own tonight / missing check-in reminders, which are other notifications.
    sms_row = Delivery.objects.get(channel="sms", notification=n)
    assert [s for s in sms if s["key"] == f"delivery-{sms_row.pk}"] == sms[:1]
    assert len(changed_mail(mailoutbox)) == 1
    assert sms_row.status == "gave_up"


def test_a_delivery_that_waited_in_redis_until_the_night_passed_is_dropped_not_sent(
        redis_app, staff, sms, mailoutbox):
    """The sweep enqueued the delivery before midnight; no worker took it until after the
    night had passed. It is judged when it runs: dropped, not sent late."""
    night_over = timezone.now() - timedelta(minutes=1)
    swept_at = night_over - timedelta(hours=2)
    [n_id] = notifications_create(at=swept_at, reminders=[Reminder(
        recipient_id=staff["cadre"].user.pk, kind=Kind.STAY_TONIGHT, subject="stay:1",
        date=timezone.localdate(swept_at), text="今晚您在东村住夜。", expires_at=night_over)])
    with app.connection_for_write() as conn:
        assert conn.default_channel.client.llen(redis_app) == 1  # waiting on the broker
    with worker(redis_app):
        settle(nothing_pending)
    assert sms == [] and mailoutbox == []
    assert sorted(Delivery.objects.filter(notification_id=n_id).values_list(
        "channel", "status")) == [("email", "skipped"), ("sms", "skipped")]


# --- A worker PROCESS killed with SIGKILL in the middle of a task -------------------------

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own: the restoring worker below requeues every message left
# unacknowledged longer than its (tiny) visibility timeout, which must never touch the
# in-flight messages of other tests or processes on database 0.
KILL_TEST_REDIS_DB = 11
VISIBILITY_SECONDS = 2


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return (f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
            f"{quote(s['NAME'])}")


def _wait_for(predicate, what: str, timeout: float = 60, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the worker process exited ({proc.returncode}) before {what}:\n"
                                 + proc.stderr.read().decode(errors="replace")[-3000:])
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_process_killed_mid_task_has_the_task_rerun_without_a_second_notification(
        require_postgres, redis_url, staff, sms, mailoutbox, settings):
    """A real worker process takes the delivery task, e-mails, hands the SMS to the gateway
    and is killed (SIGKILL) before it can record that. The message was never acknowledged
    (acks_late), so Redis gives it to the next worker, which re-runs the task: nothing is
    sent a second time, and the SMS whose outcome is unknown is given up, not resent."""
    url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{KILL_TEST_REDIS_DB}"))
    client = redis.Redis.from_url(url)
    queue = f"test-notify-kill-{uuid.uuid4().hex[:10]}"
    sent_key = f"{queue}-gateway"
    stay = make_stay(staff["cadre"], timezone.localdate())
    # The worker process has the default settings: turn quiet hours off in the database so
    # the SMS goes out at any hour the test runs.
    QuietHours.objects.create(user=staff["cadre"].user, enabled=False)
    settings.NOTIFICATIONS_STALE_CLAIM_SECONDS = 1  # the dead worker's claim is stale at once
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxiang.settings.test",
           "REDIS_URL": url, "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT),
           "NOTIFICATIONS_SMS_BACKEND": "tests.notifications.gateway.HangingGateway",
           "TEST_GATEWAY_REDIS_KEY": sent_key}
    proc = None
    reruns: list = []

    def count(sender=None, task_id=None, task=None, args=None, **kwargs):
        if task.name == "notifications.deliver":
            reruns.append(args)

    try:
        with broker(url, visibility_timeout=VISIBILITY_SECONDS):
            _conf(task_default_queue=queue)
            from residency import events
            from residency.models import Stay

            events.stays_changed.send(sender=Stay, stay_ids=[stay.pk], cadre_ids=[stay.cadre_id])
            n = Notification.objects.get(kind=Kind.STAYS_CHANGED)
            assert client.llen(queue) == 1  # the delivery task waits on the broker

            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "tongxiang", "worker", "-P", "solo",
                 "-Q", queue, "--without-heartbeat", "--without-mingle", "--without-gossip",
                 "--loglevel=WARNING"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True)
            _wait_for(lambda: client.llen(sent_key) == 1, "the SMS reached the gateway",
                      proc=proc)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            connection.close()  # read what the dead worker committed
            assert dict(Delivery.objects.filter(notification=n).values_list(
                "channel", "status")) == {"email": "sent", "sms": "sending"}
            assert client.hlen("unacked") >= 1  # taken, never acknowledged

            time.sleep(VISIBILITY_SECONDS + 0.5)
            task_prerun.connect(count, weak=False)
            with worker(queue):  # restores the unacknowledged message when it starts
                settle(lambda: bool(reruns) and Delivery.objects.filter(
                    notification=n, channel="sms", status="gave_up").exists())
            gateway_got = client.lrange(sent_key, 0, -1)
    finally:
        task_prerun.disconnect(count)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        if proc is not None:
            proc.stderr.close()
        client.delete(queue, sent_key, f"_kombu.binding.{queue}")
    assert [args[0] for args in reruns] == [n.pk]  # the killed task ran again, once
    assert gateway_got == [b"13800000001"]  # one SMS reached the gateway ...
    assert sms == [] and changed_mail(mailoutbox) == []  # ... and the re-run sent nothing
    assert Notification.objects.filter(kind=Kind.STAYS_CHANGED).count() == 1
    assert dict(Delivery.objects.filter(notification=n).values_list(
        "channel", "attempts")) == {"email": 1, "sms": 1}
