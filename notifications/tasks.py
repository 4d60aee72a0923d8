"""Thin Celery adapters: take ids (and ISO datetimes), call one service.

Both tasks are idempotent (the database decides what is due and what was sent),
``acks_late`` (a worker that dies mid-task leaves the message to be redelivered) and
time-limited. Beat triggers ``sweep`` (tongxiang/celery.py); run exactly one beat."""
from __future__ import annotations

import logging
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from . import conf
from .enqueue import register_delivery_task
from .services import DeliveryFailed, notification_deliver, reminders_sweep

logger = logging.getLogger("notifications")


def _moment(value: str | None) -> datetime | None:
    """An ISO datetime; one without an offset is local time (Asia/Shanghai), never naive."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@shared_task(bind=True, name="notifications.deliver", acks_late=True,
             reject_on_worker_lost=True, time_limit=60, soft_time_limit=45, max_retries=4)
def deliver(self, notification_id: int, as_of: str | None = None) -> dict:
    """Send the due, unsent channels of one notification; retry the ones that failed."""
    moment = _moment(as_of)
    if moment is not None and not self.request.is_eager:
        # A message that waited in the broker (worker down, backlog) is judged when it
        # runs, not when it was enqueued: a reminder whose night has passed meanwhile is
        # dropped. In-process (``run_reminders --at`` with no broker) the moment stands.
        moment = max(moment, timezone.now())
    try:
        result = notification_deliver(notification_id=notification_id, as_of=moment)
    except DeliveryFailed as exc:
        if self.request.is_eager:
            # In-process (no broker): the next sweep retries the failed channels.
            logger.warning("%s", exc)
            return {"failed": str(exc)}
        # Retries keep the sweep's moment only for the first attempt: later ones are "now".
        raise self.retry(exc=exc, args=(notification_id, None),
                         countdown=conf.retry_countdown()) from exc
    return {"sent": result.sent, "skipped": result.skipped, "deferred": result.deferred}


@shared_task(name="notifications.sweep", acks_late=True, reject_on_worker_lost=True,
             time_limit=300, soft_time_limit=240)
def sweep(at: str | None = None) -> dict:
    """Create every reminder due now (or at ``at``) and re-enqueue undelivered ones."""
    moment = _moment(at) or timezone.now()
    result = reminders_sweep(at=moment)
    if result.errors:
        logger.error("sweep at %s: rules failed: %s", moment, result.errors)
    return {"created": result.created, "redelivered": result.redelivered,
            "unavailable": result.unavailable, "errors": result.errors}


register_delivery_task(deliver)
