"""Every write of the appraisal app. Keyword-only, typed, ``<entity>_<verb>``, atomic."""
from .grades import appraisal_set_grade, golden_select, golden_unselect, rules_update
from .meetings import (
    ballot_cast,
    ballot_codes_generate,
    code_digest,
    meeting_close,
    meeting_create,
    report_submit,
    tally_set,
)
from .violations import (
    appeal_decide,
    appeal_file,
    penalty_action_record,
    violation_candidate_from_spot_check,
    violation_candidates_sync,
    violation_confirm,
    violation_create_manual,
    violation_dismiss,
)

__all__ = [
    "appeal_decide", "appeal_file", "appraisal_set_grade", "ballot_cast", "ballot_codes_generate",
    "code_digest", "golden_select", "golden_unselect", "meeting_close", "meeting_create",
    "penalty_action_record", "report_submit", "rules_update", "tally_set",
    "violation_candidate_from_spot_check", "violation_candidates_sync", "violation_confirm",
    "violation_create_manual", "violation_dismiss",
]
