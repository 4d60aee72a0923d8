"""Writes of the night roster (rule R1). Re-exports the services of the submodules."""
from .calendar import calendar_warning, workday_override_delete, workday_override_set
from .checkin import (
    checkin_night,
    opens_later_today,
    stay_check_in,
    window_closes_at,
    window_label,
)
from .editing import stay_assign, stay_delete, stay_move, stay_pin, stay_swap
from .feeds import calendar_feed_get_or_create, calendar_feed_revoke
from .leave import leave_approve, leave_cancel, leave_reject, leave_request
from .planning import PlanSummary, roster_plan, roster_publish, roster_week_get
from .preferences import preference_set
from .spotchecks import spot_check_record
from .swaps import swap_approve, swap_cancel, swap_reject, swap_request

__all__ = [
    "PlanSummary", "calendar_feed_get_or_create", "calendar_feed_revoke", "calendar_warning",
    "checkin_night", "leave_approve", "leave_cancel", "leave_reject", "leave_request", "preference_set",
    "roster_plan", "roster_publish", "roster_week_get", "spot_check_record", "stay_assign",
    "stay_check_in", "stay_delete", "stay_move", "stay_pin", "stay_swap", "swap_approve",
    "swap_cancel", "swap_reject", "swap_request", "window_closes_at", "window_label",
    "opens_later_today",
    "workday_override_delete", "workday_override_set",
]
