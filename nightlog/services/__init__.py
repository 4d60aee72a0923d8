"""Every write of the night log. Keyword-only, typed, atomic; ``full_clean()`` then save.
Rules that do not need the database live in the pure modules (nights, problem_flow,
linking)."""
from .consultations import consultation_create
from .households import households_create
from .late import late_visit_request_create, late_visit_request_decide
from .links import (
    card_record,
    link_create,
    link_end,
    links_apply_suggestion,
    links_end_for_station,
)
from .on_site import on_site_office_record
from .problems import problem_hand_over, problem_raise, problem_transition
from .visits import (
    LateEntryNeedsApproval,
    late_entry_days,
    visit_by_key,
    visit_create,
    visit_update,
)

__all__ = [
    "card_record", "consultation_create", "households_create", "link_create", "link_end",
    "links_apply_suggestion", "links_end_for_station",
    "problem_hand_over", "problem_raise", "problem_transition", "visit_create", "visit_update",
    "on_site_office_record",
    "LateEntryNeedsApproval", "late_entry_days", "late_visit_request_create", "late_visit_request_decide",
    "visit_by_key",
]
