"""Enqueueing never fails the caller; beat has one reminder entry: the sweep."""
from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.enqueue import enqueue_each_now, enqueue_now
from tongxiang.celery import app


class Unreachable:
    name = "notifications.deliver"
    calls = 0

    def apply_async(self, **kwargs):
        Unreachable.calls += 1
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")


def test_a_broker_error_is_logged_and_swallowed(caplog):
    assert enqueue_now(Unreachable(), 1) is False
    assert "could not enqueue notifications.deliver(1,)" in caplog.text


def test_the_first_broker_error_stops_the_batch_the_sweep_does_the_rest(caplog):
    Unreachable.calls = 0
    assert enqueue_each_now(Unreachable(), [(1,), (2,), (3,)]) == 0
    assert Unreachable.calls == 1


def test_beat_runs_the_reminder_sweep_every_few_minutes_with_one_entry():
    schedule = app.conf.beat_schedule
    assert [k for k, v in schedule.items() if v["task"].startswith("notifications.")] == [
        "notifications-sweep"]
    entry = schedule["notifications-sweep"]
    assert entry["task"] == tasks.sweep.name == "notifications.sweep"
    assert entry["schedule"].minute == set(range(0, 60, 5))


@pytest.mark.parametrize("task", [tasks.sweep, tasks.deliver])
def test_tasks_ack_late_with_time_limits(task):
    assert task.acks_late is True
    assert task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit
