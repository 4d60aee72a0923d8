"""Writes of the night roster (rule R1). Re-exports the services of the submodules."""
from residency.roster.services.calendar import (
    calendar_warning,
    workday_override_delete,
    workday_override_set,
)
from residency.roster.services.checkin import (
    checkin_night,
    opens_later_today,
    stay_check_in,
    window_closes_at,
    window_label,
)
from residency.roster.services.editing import (
    stay_assign,
    stay_delete,
    stay_move,
    stay_pin,
    stay_swap,
)
from residency.roster.services.feeds import calendar_feed_get_or_create, calendar_feed_revoke
from residency.roster.services.leave import (
    backdate_days_township,
    leave_approve,
    leave_cancel,
    leave_reject,
    leave_request,
)
from residency.roster.services.planning import (
    PlanSummary,
    roster_plan,
    roster_publish,
    roster_week_get,
)
from residency.roster.services.position import CheckinPosition, far_radius_m
from residency.roster.services.position import parse as parse_position
from residency.roster.services.preferences import preference_set
from residency.roster.services.presence import stay_presence_correct
from residency.roster.services.spotchecks import spot_check_record
from residency.roster.services.swaps import swap_approve, swap_cancel, swap_reject, swap_request

__all__ = [
    "CheckinPosition", "PlanSummary", "backdate_days_township", "far_radius_m", "parse_position", "calendar_feed_get_or_create", "calendar_feed_revoke", "calendar_warning",
    "checkin_night", "opens_later_today", "leave_approve", "leave_cancel", "leave_reject", "leave_request", "preference_set",
    "roster_plan", "roster_publish", "stay_presence_correct", "roster_week_get", "spot_check_record", "stay_assign",
    "stay_check_in", "stay_delete", "stay_move", "stay_pin", "stay_swap", "swap_approve",
    "swap_cancel", "swap_reject", "swap_request", "window_closes_at", "window_label",
    "workday_override_delete", "workday_override_set",
]
