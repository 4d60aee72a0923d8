"""Every write of the night log. Keyword-only, typed, atomic; ``full_clean()`` then save.
Rules that do not need the database live in the pure modules (nights, problem_flow,
linking)."""
from .consultations import consultation_create
from .late import late_visit_request_create, late_visit_request_decide
from .links import card_record, link_create, link_end, links_apply_suggestion
from .problems import problem_hand_over, problem_raise, problem_transition
from .visits import (
    LateEntryNeedsApproval,
    late_entry_days,
    visit_by_key,
    visit_create,
    visit_update,
)

__all__ = [
    "LateEntryNeedsApproval", "card_record", "consultation_create",
    "late_entry_days", "late_visit_request_create", "late_visit_request_decide", "link_create", "link_end", "links_apply_suggestion",
    "problem_hand_over", "problem_raise", "problem_transition", "visit_by_key", "visit_create",
    "visit_update",
]
