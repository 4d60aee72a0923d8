"""Violations, the penalty ladder's recorded actions, review meetings and ballots, grades
and 金口碑 (rule R3 of DOMAIN.md), one module per concern, all re-exported here:
``common`` (choices), ``violations`` (incidents, signals, appeals, penalty actions),
``meetings`` (review meetings, reports, tallies, ballot codes and ballots), ``appraisals``
(rules, the year's appraisal, 金口碑).

The ladder step itself is never stored: ``appraisal.ladder`` computes it from the register."""
from appraisal.models.appraisals import Appraisal, AppraisalRules, GoldenAward
from appraisal.models.common import CADRE_SCOPE, Grade, Rating, RepresentativeKind
from appraisal.models.meetings import (
    Ballot,
    BallotCode,
    BallotMark,
    CadreReport,
    PaperTally,
    ReviewMeeting,
    report_upload_to,
)
from appraisal.models.violations import (
    Appeal,
    PenaltyAction,
    Violation,
    ViolationSignal,
    standing_q,
)

__all__ = [
    "CADRE_SCOPE", "Appeal", "Appraisal", "AppraisalRules", "Ballot", "BallotCode", "BallotMark",
    "CadreReport", "GoldenAward", "Grade", "PaperTally", "PenaltyAction", "Rating",
    "RepresentativeKind", "ReviewMeeting", "Violation", "ViolationSignal", "report_upload_to",
    "standing_q",
]
