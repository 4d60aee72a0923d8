"""Whether a stay's night counts as resided (住夜), in one place for Python and SQL.

A township admin's correction (``Stay.presence``) decides when there is one: "present"
counts the night even without a check-in, "absent" takes it away even with one. Without a
correction the check-in decides. ``Stay.stayed`` is the same rule on one instance."""
from __future__ import annotations

from django.db.models import Q

from residency.models import Presence


def stayed_q(prefix: str = "") -> Q:
    """Stays whose night counts as resided."""
    return (Q(**{f"{prefix}presence": Presence.PRESENT})
            | (Q(**{f"{prefix}presence": ""}) & Q(**{f"{prefix}checked_in_at__isnull": False})))
