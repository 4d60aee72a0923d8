"""Listening to residency's events: an absent spot check becomes a candidate violation.
And any write to the facts the county statistics are made of invalidates their cache
(``selectors.stats``)."""
from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from residency import events
from residency.models import Cadre, Station

from .models import (
    Appeal,
    Appraisal,
    AppraisalRules,
    Ballot,
    GoldenAward,
    PaperTally,
    ReviewMeeting,
    Violation,
)
from .selectors.stats import bump_stats_version

STATISTICS_FACTS = (Violation, Appeal, Appraisal, AppraisalRules, GoldenAward, Ballot, PaperTally,
                    ReviewMeeting, Station, Cadre)


def _facts_changed(sender, **kwargs) -> None:
    bump_stats_version()


for _model in STATISTICS_FACTS:
    post_save.connect(_facts_changed, sender=_model, dispatch_uid=f"appraisal.stats.save.{_model.__name__}")
    post_delete.connect(_facts_changed, sender=_model, dispatch_uid=f"appraisal.stats.delete.{_model.__name__}")


@receiver(events.spot_check_recorded, dispatch_uid="appraisal.spot_check_candidate")
def on_spot_check_recorded(sender, spot_check_id: int, **kwargs) -> None:
    from .tasks import violation_candidate_from_spot_check

    # The event is sent after commit; the task is idempotent.
    violation_candidate_from_spot_check.delay(spot_check_id)
