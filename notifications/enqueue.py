"""Enqueue Celery tasks after commit without ever failing the caller.

The database already holds everything due (notifications, pending deliveries), so a
broker that is down only delays delivery until the next sweep: the error is logged and
swallowed, never raised into a web request. This is ``delay_on_commit`` plus that guard
(``delay_on_commit`` alone would raise the broker error into the request)."""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

logger = logging.getLogger("notifications")

# Fail fast when the broker is unreachable: one quick retry, then give up (the next sweep
# will find the work in the database).
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1,
                 "interval_max": 0.1}


def enqueue_now(task, *args, **kwargs) -> bool:
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # a broker error must never reach the request
        logger.exception("could not enqueue %s%r; the next sweep will pick it up",
                         task.name, args)
        return False
    return True


def enqueue_each_now(task, arg_lists: Iterable[tuple]) -> int:
    """Enqueue one task per argument tuple; stop at the first broker error (the rest is in
    the database for the next sweep). Returns how many were enqueued."""
    done = 0
    for args in arg_lists:
        if not enqueue_now(task, *args):
            break
        done += 1
    return done


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: enqueue_now(task, *args, **kwargs))


def enqueue_each_on_commit(task, arg_lists: list[tuple]) -> None:
    if arg_lists:
        transaction.on_commit(lambda: enqueue_each_now(task, arg_lists))


# The delivery task, set by ``notifications.tasks`` when it is imported (the app's
# ``ready()`` imports it), so that services enqueue deliveries without importing the task
# module that imports them.
_delivery_task = None


def register_delivery_task(task) -> None:
    global _delivery_task
    _delivery_task = task


def deliver_each_on_commit(arg_lists: list[tuple]) -> None:
    """Enqueue one delivery per (notification id, moment) after the commit."""
    if _delivery_task is None:
        raise RuntimeError("notifications.tasks is not loaded (NotificationsConfig.ready)")
    enqueue_each_on_commit(_delivery_task, arg_lists)
