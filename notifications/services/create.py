"""Creating notifications: INSERT ... ON CONFLICT DO NOTHING on the dedup key, then one
``Delivery`` per external channel the recipient wants, then (after commit) the delivery
tasks."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from residency.batching import chunked
from residency.models import Cadre, Official

from .. import conf
from ..channels import dingtalk
from ..enqueue import deliver_each_on_commit
from ..kinds import info, pushes
from ..models import Channel, Delivery, Notification, NotificationPreference
from ..reminder import Reminder
from ..selectors import forget_unread, quiet_hours
from ..timing import sms_not_before

CHUNK = 1000


def _existing_keys(reminders: Sequence[Reminder]) -> set[tuple]:
    kinds = {r.kind for r in reminders}
    dates = {r.date for r in reminders}
    return set(Notification.objects.filter(kind__in=kinds, date__in=dates).values_list(
        "recipient_id", "kind", "subject", "date"))


def _channels_wanted(user_ids: set[int], kinds: set[str]) -> dict[tuple[int, str], tuple[bool, bool]]:
    return {(p.user_id, p.kind): (p.email, p.sms) for p in NotificationPreference.objects.filter(
        user_id__in=user_ids, kind__in=kinds)}


def _phones(user_ids: set[int]) -> dict[int, str]:
    phones = dict(Official.objects.filter(user_id__in=user_ids).exclude(phone="")
                  .values_list("user_id", "phone"))
    phones.update(Cadre.objects.filter(user_id__in=user_ids).exclude(phone="")
                  .values_list("user_id", "phone"))
    return phones


def _deliveries_for(won: list[Notification], at: datetime,
                    tonight: set[tuple] = frozenset()) -> list[Delivery]:
    user_ids = {n.recipient_id for n in won}
    kinds = {n.kind for n in won}
    wanted = _channels_wanted(user_ids, kinds)
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    phones = _phones(user_ids)
    quiet = quiet_hours(user_ids=user_ids)
    tz = conf.config().tz
    # The "短信" choice is the phone choice: SMS, and 浙政钉 when it is switched on.
    phone_channels = [Channel.SMS] + ([Channel.DINGTALK] if dingtalk.enabled() else [])
    rows: list[Delivery] = []
    for n in won:
        email_on, sms_on = wanted.get((n.recipient_id, n.kind), (True, info(n.kind).sms_default))
        if email_on:
            address = emails.get(n.recipient_id) or ""
            rows.append(Delivery(
                notification=n, channel=Channel.EMAIL, address=address, not_before=at,
                **({} if address else {"status": Delivery.Status.SKIPPED,
                                       "note": "no e-mail address"})))
        key = (n.recipient_id, n.kind, n.subject, n.date)
        if not (sms_on and pushes(n.kind, urgent=n.urgent, tonight=key in tonight)):
            continue  # phones only for tonight's stay and urgent kinds
        address = phones.get(n.recipient_id, "")
        hours = quiet[n.recipient_id]
        not_before = at if hours is None else sms_not_before(
            at, start=hours[0], end=hours[1], tz=tz, urgent=n.urgent)
        for channel in phone_channels:
            rows.append(Delivery(
                notification=n, channel=channel, address=address, not_before=not_before,
                **({} if address else {"status": Delivery.Status.SKIPPED,
                                       "note": "no phone number"})))
    return rows


@transaction.atomic
def notifications_create(*, reminders: Iterable[Reminder], at: datetime | None = None) -> list[int]:
    """Create the notifications that do not exist yet and their deliveries; enqueue their
    delivery after commit. Returns the ids of the notifications this call created (never
    one that another call, racing or earlier, created)."""
    at = at or timezone.now()
    wanted = {r.key: r for r in reminders}
    if not wanted:
        return []
    existing = _existing_keys(list(wanted.values()))
    now = timezone.now()
    rows = [Notification(recipient_id=r.recipient_id, kind=r.kind, subject=r.subject,
                         date=r.date, text=r.text[:300], link=r.link[:200], urgent=r.urgent,
                         expires_at=r.expires_at, created_at=now, token=uuid.uuid4())
            for key, r in wanted.items() if key not in existing]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    won: list[Notification] = []
    for chunk in chunked([r.token for r in rows], CHUNK):
        won.extend(Notification.objects.filter(token__in=chunk).only(
            "pk", "recipient_id", "kind", "urgent", "subject", "date"))
    if not won:
        return []
    forget_unread(n.recipient_id for n in won)
    deliveries = _deliveries_for(won, at, {key for key, r in wanted.items() if r.tonight})
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=CHUNK)
    due = sorted({d.notification.pk for d in deliveries
                  if d.status == Delivery.Status.PENDING and d.not_before <= at})
    deliver_each_on_commit([(pk, at.isoformat()) for pk in due])
    return sorted(n.pk for n in won)
