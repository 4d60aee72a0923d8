"""Listen to the domain events (residency/events.py, nightlog/events.py, appraisal/events.py). Events are sent
after commit with ids; each receiver writes the notifications in the database at once
(so nothing depends on the broker) and enqueues their delivery after commit. A failure
here is logged, never raised into the request that caused the event: the next sweep
re-derives what it can from the database."""
from __future__ import annotations

import logging

from django.dispatch import receiver

from appraisal import events as appraisal_events
from residency import events

from .rules import exports, roster, violations
from .services import notifications_create

logger = logging.getLogger("notifications")


def _create(name: str, build) -> None:
    try:
        notifications_create(reminders=build())
    except Exception:
        logger.exception("could not create %s notifications; the next sweep will retry", name)


@receiver(events.week_published, dispatch_uid="notifications.week_published")
def on_week_published(sender, township_id=None, week_start=None, stay_ids=(), **kwargs):
    from residency.models import RosterWeek

    def build():
        ids = RosterWeek.objects.filter(township_id=township_id, week_start=week_start
                                        ).values_list("pk", flat=True)
        return roster.week_published(week_ids=list(ids))

    _create("week_published", build)


@receiver(events.stays_changed, dispatch_uid="notifications.stays_changed")
def on_stays_changed(sender, stay_ids=(), cadre_ids=(), **kwargs):
    _create("stays_changed", lambda: roster.stays_changed(stay_ids=stay_ids, cadre_ids=cadre_ids))


@receiver(events.leave_requested, dispatch_uid="notifications.leave_requested")
def on_leave_requested(sender, leave_id=None, **kwargs):
    _create("leave_requested", lambda: roster.leave_requested(leave_ids=[leave_id]))


@receiver(events.leave_decided, dispatch_uid="notifications.leave_decided")
def on_leave_decided(sender, leave_id=None, **kwargs):
    _create("leave_decided", lambda: roster.leave_decided(leave_ids=[leave_id]))


@receiver(events.swap_requested, dispatch_uid="notifications.swap_requested")
def on_swap_requested(sender, swap_id=None, **kwargs):
    _create("swap_requested", lambda: roster.swap_requested(swap_ids=[swap_id]))


@receiver(events.swap_decided, dispatch_uid="notifications.swap_decided")
def on_swap_decided(sender, swap_id=None, **kwargs):
    _create("swap_decided", lambda: roster.swap_decided(swap_ids=[swap_id]))


# --- Findings and appeals (appraisal/events.py) -----------------------------------------


@receiver(appraisal_events.violation_decided, dispatch_uid="notifications.violation_decided")
def on_violation_decided(sender, violation_id=None, status=None, **kwargs):
    if status != "confirmed":  # a dismissal tells nobody anything they must act on
        return
    _create("violation_decided", lambda: violations.violation_confirmed(violation_id=violation_id))


@receiver(appraisal_events.appeal_filed, dispatch_uid="notifications.appeal_filed")
def on_appeal_filed(sender, appeal_id=None, **kwargs):
    _create("appeal_filed", lambda: violations.appeal_filed(appeal_id=appeal_id))


@receiver(appraisal_events.appeal_decided, dispatch_uid="notifications.appeal_decided")
def on_appeal_decided(sender, appeal_id=None, **kwargs):
    _create("appeal_decided", lambda: violations.appeal_decided(appeal_id=appeal_id))


# --- Background exports (residency/events.py) --------------------------------------------


@receiver(events.export_finished, dispatch_uid="notifications.export_finished")
def on_export_finished(sender, job_id=None, **kwargs):
    _create("export_finished", lambda: exports.export_finished(job_ids=[job_id]))
