"""Every read of the appraisal app that is more than a ``get``."""
from .appraisals import (
    AppraisalRow,
    appraisal_cadres,
    appraisal_rows,
    golden_candidate_ids,
    golden_candidates,
    golden_public_list,
    iter_appraisal_rows,
    rules_for,
)
from .evidence import IncidentEvidence, incident_evidence, next_undecided
from .meetings import (
    meeting_cadres,
    meeting_list,
    meeting_results,
    rating_counts,
    stationed_in_year,
)
from .season import CadreGap, VillageWithoutMeeting, meeting_gaps, villages_without_meeting
from .stats import cached_county_statistics, county_statistics, stats_cache_seconds
from .violations import ladder_for, standing_counts, township_roster_gaps, violation_list

__all__ = [
    "AppraisalRow", "appraisal_cadres", "appraisal_rows", "cached_county_statistics", "county_statistics",
    "stats_cache_seconds",
    "IncidentEvidence", "golden_candidate_ids", "incident_evidence", "golden_candidates", "golden_public_list", "iter_appraisal_rows",
    "ladder_for", "meeting_cadres", "meeting_list", "meeting_results", "next_undecided", "rating_counts", "rules_for",
    "standing_counts", "stationed_in_year", "township_roster_gaps", "violation_list",
    "CadreGap", "VillageWithoutMeeting", "meeting_gaps", "villages_without_meeting",
]
