"""Delivering a notification's external channels, at most once each.

Each delivery row is *claimed* with a conditional UPDATE (pending/failed -> sending) that
only one worker can win, and every state change is committed on its own (deliberately no
surrounding transaction: what was sent must stay recorded even if the worker dies a moment
later). A retry therefore resends only the channels that failed. A row left in "sending"
by a worker that died mid-send has an unknown outcome; it is resent only if the SMS
gateway de-duplicates (``idempotent``), otherwise given up: never a second SMS."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf
from ..channels import dingtalk
from ..models import Channel, Delivery, Notification
from ..selectors import quiet_hours
from ..sms import PermanentError, SmsError, backend_class, get_backend
from ..timing import sms_not_before

logger = logging.getLogger("notifications")

RETRYABLE = (Delivery.Status.PENDING, Delivery.Status.FAILED)
PHONE_CHANNELS = (Channel.SMS, Channel.DINGTALK)


class DeliveryFailed(Exception):
    """At least one channel failed and will be retried."""


@dataclass
class DeliveryResult:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


def _message(n: Notification) -> str:
    site = getattr(settings, "NOTIFICATIONS_SITE_URL", "").rstrip("/")
    if n.link and site:
        return f"{n.text}\n{site}{n.link}"
    return n.text


def _send(delivery: Delivery, n: Notification) -> str:
    if delivery.channel == Channel.EMAIL:
        subject = _("【住村·夜班·评议】%(kind)s") % {"kind": n.get_kind_display()}
        send_mail(subject, _message(n), None, [delivery.address], fail_silently=False)
        return ""
    return _backend(delivery.channel).send(phone=delivery.address, text=n.text,
                                           key=f"delivery-{delivery.pk}")


def _backend(channel: str):
    """The phone gateway of ``channel`` (SMS or 浙政钉): same interface, ``sms.py``."""
    if channel == Channel.DINGTALK:
        return dingtalk.get_backend()
    return get_backend()


def _idempotent(channel: str) -> bool:
    """Whether the channel's gateway de-duplicates on our key (a class attribute: asked
    without building the gateway, which may be misconfigured)."""
    if channel == Channel.DINGTALK:
        return dingtalk.DingTalkBackend.idempotent
    return backend_class().idempotent


def _known_unsent(delivery: Delivery, exc: Exception) -> bool:
    """Whether a failed send certainly did not go out (so a retry cannot duplicate it)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return False  # the task was stopped somewhere inside the send
    if delivery.channel in PHONE_CHANNELS:
        return isinstance(exc, SmsError) or _idempotent(delivery.channel)
    return True  # SMTP refuses before the message is accepted


def _quiet_until(user_id: int, moment: datetime) -> datetime:
    """``moment`` if a non-urgent SMS may go out then, else when the quiet hours end."""
    hours = quiet_hours(user_ids={user_id})[user_id]
    if hours is None:
        return moment
    return sms_not_before(moment, start=hours[0], end=hours[1], tz=conf.config().tz,
                          urgent=False)


def _set(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def notification_deliver(*, notification_id: int, as_of: datetime | None = None) -> DeliveryResult:
    """Send the channels of one notification that are due and not sent yet. Safe to run
    any number of times, concurrently too. Raises ``DeliveryFailed`` if a channel failed
    (it stays retryable)."""
    now = timezone.now()
    moment = as_of or now
    result = DeliveryResult()
    n = Notification.objects.filter(pk=notification_id).first()
    if n is None:
        return result
    stale_before = now - timedelta(seconds=conf.stale_after_seconds())
    for d in Delivery.objects.filter(
            Q(status__in=RETRYABLE) | Q(status=Delivery.Status.SENDING),
            notification_id=n.pk).order_by("channel"):
        if d.status == Delivery.Status.SENDING:
            if d.claimed_at and d.claimed_at > stale_before:
                continue  # another worker is on it right now
            if not (d.channel in PHONE_CHANNELS and _idempotent(d.channel)):
                # The worker died mid-send: it may have gone out. Never send it twice.
                Delivery.objects.filter(pk=d.pk, status=Delivery.Status.SENDING,
                                        claimed_at=d.claimed_at).update(
                    status=Delivery.Status.GAVE_UP, note="outcome unknown (worker lost); not resent")
                result.skipped.append(d.channel)
                continue
        if n.expires_at and moment >= n.expires_at:
            _set(d, status=Delivery.Status.SKIPPED, note="expired: the occasion has passed")
            result.skipped.append(d.channel)
            continue
        if d.not_before > moment:
            result.deferred.append(d.channel)
            continue
        if d.channel in PHONE_CHANNELS and not n.urgent:
            # Sent later than created (broker down, a retry): quiet hours may have begun.
            quiet_until = _quiet_until(n.recipient_id, moment)
            if quiet_until > moment:
                _set(d, not_before=quiet_until)
                result.deferred.append(d.channel)
                continue
        if d.attempts >= conf.max_attempts():
            _set(d, status=Delivery.Status.GAVE_UP, note=(d.note or "too many attempts")[:300])
            result.skipped.append(d.channel)
            continue
        won = Delivery.objects.filter(pk=d.pk, status=d.status, attempts=d.attempts).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if not won:
            continue  # another worker claimed it first
        try:
            external_id = _send(d, n)
        except PermanentError as exc:  # refused as wrong (4xx, unknown number): final
            logger.warning("delivery %s (%s) refused for good: %s", d.pk, d.channel, exc)
            _set(d, status=Delivery.Status.GAVE_UP, note=f"refused: {exc}"[:300])
            result.skipped.append(d.channel)
            continue
        except Exception as exc:
            if _known_unsent(d, exc):  # refused: nothing went out, retry later
                logger.warning("delivery %s (%s) failed: %s", d.pk, d.channel, exc)
                _set(d, status=Delivery.Status.FAILED, note=str(exc)[:300] or type(exc).__name__)
                result.failed.append(d.channel)
                continue
            # Interrupted mid-send (time limit, connection lost): it may have gone out.
            _set(d, status=Delivery.Status.GAVE_UP,
                 note=f"outcome unknown ({type(exc).__name__}); not resent"[:300])
            raise
        _set(d, status=Delivery.Status.SENT, sent_at=timezone.now(),
             external_id=(external_id or "")[:100], note="")
        result.sent.append(d.channel)
    if result.failed:
        raise DeliveryFailed(f"notification {n.pk}: {', '.join(result.failed)} failed")
    return result


def deliveries_due(*, at: datetime, limit: int = 5000) -> list[int]:
    """Notifications with a channel due and not sent: pending (its task was never enqueued,
    e.g. the broker was down), failed (to retry), deferred by quiet hours, or stuck in
    "sending" by a worker that died."""
    stale_before = timezone.now() - timedelta(seconds=conf.stale_after_seconds())
    return list(Delivery.objects.filter(
        Q(status__in=RETRYABLE, not_before__lte=at)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=stale_before)
    ).order_by("notification_id").values_list("notification_id", flat=True).distinct()[:limit])
