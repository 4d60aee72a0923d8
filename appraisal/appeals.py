"""The appeal deadline: a confirmed violation may be appealed until the end of the
``APPEAL_DEADLINE_DAYS``-th day (15) after it was confirmed (local date). The notice to
the cadre (notifications/rules/violations.py) states this date; ``appeal_file`` holds to it."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def deadline_days() -> int:
    return int(getattr(settings, "APPEAL_DEADLINE_DAYS", 15))


def appeal_deadline(decided_at: datetime) -> date:
    """The last day on which a violation confirmed at ``decided_at`` may be appealed."""
    return timezone.localtime(decided_at).date() + timedelta(days=deadline_days())
