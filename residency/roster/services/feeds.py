"""A cadre's private iCalendar feed: a secret, unguessable, revocable token."""
from __future__ import annotations

import secrets

from django.db import transaction

from residency import audit
from residency.models import Cadre, CalendarFeed


def _token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_get_or_create(*, cadre: Cadre) -> CalendarFeed:
    feed, created = CalendarFeed.objects.get_or_create(cadre=cadre, defaults={"token": _token()})
    if created:
        audit.record("calendar_feed_create", obj=feed)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, cadre: Cadre) -> CalendarFeed:
    """Replace the token: the old subscription link stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(cadre=cadre).first()
    if feed is None:
        return calendar_feed_get_or_create(cadre=cadre)
    feed.token = _token()
    feed.save(update_fields=["token"])
    audit.record("calendar_feed_revoke", obj=feed)
    return feed
