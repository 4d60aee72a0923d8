"""The user's side: reading notifications and choosing channels."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..kinds import Kind
from ..models import Notification, NotificationPreference, QuietHours
from ..selectors import forget_unread


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent). Another user's id is
    ``Notification.DoesNotExist``."""
    n = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
        forget_unread([user.pk])
    return n


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
    forget_unread([user.pk])
    return marked


@transaction.atomic
def preferences_update(*, user, channels: Mapping[str, tuple[bool, bool]], quiet_enabled: bool,
                       quiet_start: time, quiet_end: time) -> None:
    """Save the user's (e-mail, SMS) choice per kind and quiet hours."""
    unknown = set(channels) - set(Kind.values)
    if unknown:
        raise ValidationError(_("未知的提醒类型：%(kinds)s") % {"kinds": ", ".join(sorted(unknown))})
    if quiet_enabled and quiet_start == quiet_end:
        raise ValidationError(_("免打扰的开始和结束时间不能相同。"))
    for kind, (email, sms) in channels.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": bool(email), "sms": bool(sms)})
    hours, _created = QuietHours.objects.get_or_create(user=user)
    hours.enabled, hours.start, hours.end = quiet_enabled, quiet_start, quiet_end
    hours.full_clean()
    hours.save(update_fields=["enabled", "start", "end"])
