"""Helpers shared by the rules."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.access.roles import Role
from residency.models import Official


class SourceUnavailable(Exception):
    """The app whose facts a rule reads has not provided them (yet)."""


def link(*candidates: tuple) -> str:
    """The first URL that resolves among ``(name, *args)`` candidates, else ''."""
    for name, *args in candidates:
        try:
            return reverse(name, args=args or None)
        except NoReverseMatch:
            continue
    return ""


def md(d: date) -> str:
    return _("%(month)s月%(day)s日") % {"month": d.month, "day": d.day}


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def township_admins(township_ids: Iterable[int]) -> dict[int, list[int]]:
    """township id -> user ids of its township admins."""
    result: dict[int, list[int]] = defaultdict(list)
    rows = Official.objects.filter(township_id__in=set(township_ids),
                                   user__is_active=True,
                                   user__groups__name=Role.TOWNSHIP_ADMIN.value
                                   ).values_list("township_id", "user_id").distinct()
    for township_id, user_id in rows:
        result[township_id].append(user_id)
    return result
