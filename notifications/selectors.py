"""Reads of the notifications app."""
from __future__ import annotations

from django.db.models import QuerySet

from residency import soft_cache as cache

from . import conf
from .kinds import Kind, info, may_reach_a_phone
from .models import DigestItem, Notification, NotificationPreference, QuietHours

UNREAD_CAP = 99


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).only(
        "pk", "kind", "text", "link", "urgent", "created_at", "read_at", "date")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    """The user's unread notifications, counted up to ``UNREAD_CAP + 1`` (one query on
    the partial index; the badge shows "99+" beyond)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).values(
        "pk")[:UNREAD_CAP + 1].count()


def _badge_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def cached_unread_count(*, user) -> int:
    """``unread_count`` kept in the cache for the badge every page shows (one cache read
    instead of a query). Creating notifications and marking them read forget the count of
    the users concerned (``forget_unread``); it expires after
    ``NOTIFICATIONS_BADGE_CACHE_SECONDS`` (default 120) whatever happens."""
    seconds = conf.badge_cache_seconds()
    if seconds <= 0:
        return unread_count(user=user)
    count = cache.get(_badge_key(user.pk))
    if count is None:
        count = unread_count(user=user)
        cache.set(_badge_key(user.pk), count, timeout=seconds)
    return count


def forget_unread(user_ids) -> None:
    """The badge of these users is counted again on their next page (at once, and again
    when the transaction commits: a page in between may have counted what was committed)."""
    cache.forget([_badge_key(pk) for pk in set(user_ids) if pk])


def preferences_for(*, user) -> tuple[list[dict], QuietHours | None]:
    """Each kind with the user's (or the default) e-mail and SMS choice, and quiet hours."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind, label in Kind.choices:
        pref = chosen.get(kind)
        rows.append({"kind": kind, "label": label, "urgent": info(kind).urgent,
                     "phone": may_reach_a_phone(kind),
                     "email": pref.email if pref else True,
                     "sms": pref.sms if pref else info(kind).sms_default})
    return rows, QuietHours.objects.filter(user=user).first()


def quiet_hours(*, user_ids: set[int]) -> dict[int, tuple | None]:
    """user id -> (start, end) of the SMS quiet hours, the default when the user has not
    chosen, None when turned off (one query)."""
    default = conf.default_quiet_hours()
    rows = {q.user_id: ((q.start, q.end) if q.enabled else None)
            for q in QuietHours.objects.filter(user_id__in=user_ids)}
    return {uid: rows.get(uid, default) for uid in user_ids}


def digest(*, user, pk: int) -> tuple[Notification, list[DigestItem]] | None:
    """The user's digest ``pk`` and the items it lists (two queries), or None."""
    n = Notification.objects.filter(pk=pk, recipient=user, kind=Kind.DIGEST).first()
    if n is None:
        return None
    items = list(DigestItem.objects.filter(recipient=user, sweep=n.subject).order_by("kind", "pk"))
    return n, items
