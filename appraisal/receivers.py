"""Listening to residency's events: an absent spot check becomes a candidate violation."""
from __future__ import annotations

from django.dispatch import receiver

from residency import events


@receiver(events.spot_check_recorded, dispatch_uid="appraisal.spot_check_candidate")
def on_spot_check_recorded(sender, spot_check_id: int, **kwargs) -> None:
    from .tasks import violation_candidate_from_spot_check

    # The event is sent after commit; the task is idempotent.
    violation_candidate_from_spot_check.delay(spot_check_id)
