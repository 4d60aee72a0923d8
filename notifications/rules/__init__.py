"""The reminder rules: each reads the facts (through the source app's models and
selectors) and returns ``Reminder`` values; it writes nothing.

Timed rules take an open ``Occasion``; event rules take the ids a domain event carried
(and the sweep re-runs them over recent rows, so an event lost with the broker is still
notified). A rule whose source app has not landed raises ``SourceUnavailable``."""
from __future__ import annotations

from ..kinds import Kind
from . import appraisal, exports, nightlog, roster, violations
from .common import SourceUnavailable

# kind -> rule(*, occasion, at) -> list[Reminder]
TIMED_RULES = {
    Kind.STAY_TONIGHT: roster.stay_tonight,
    Kind.CHECKIN_MISSING: roster.checkin_missing,
    Kind.NO_VISIT_LOGGED: nightlog.no_visit_logged,
    Kind.ROSTER_GAPS: roster.roster_gaps,
    Kind.PROBLEM_OVERDUE: nightlog.problem_overdue,
    Kind.TIES_INCOMPLETE: nightlog.ties_incomplete,
    Kind.REVIEW_MEETING: appraisal.review_meeting,
    Kind.MEETING_SEASON: appraisal.meeting_season,
}

# kind -> rule(*, at) -> list[Reminder]: events re-derived from the database by the sweep.
CATCH_UP_RULES = {
    Kind.WEEK_PUBLISHED: roster.week_published_recent,
    Kind.LEAVE_REQUESTED: roster.leave_requested_recent,
    Kind.LEAVE_DECIDED: roster.leave_decided_recent,
    Kind.SWAP_REQUESTED: roster.swap_requested_recent,
    Kind.SWAP_DECIDED: roster.swap_decided_recent,
    # Daily, with problem_overdue: once per problem, a week after its due date.
    Kind.PROBLEM_OVERDUE_ESCALATED: nightlog.problem_overdue_escalated,
    # Findings and appeals (a confirmation also re-derives a ladder step it made due).
    Kind.VIOLATION_CONFIRMED: violations.violation_confirmed_recent,
    Kind.APPEAL_FILED: violations.appeal_filed_recent,
    Kind.APPEAL_DECIDED: violations.appeal_decided_recent,
    Kind.EXPORT_FINISHED: exports.export_finished_recent,
}

__all__ = ["CATCH_UP_RULES", "TIMED_RULES", "SourceUnavailable"]
