"""The residency app's tables, one module per concern, all re-exported here:
``places`` (County, Township, Village), ``people`` (Cadre, Station, Official), ``audit``
(AuditLog), ``roster`` (WorkdayOverride, RosterWeek, Stay, SpotCheck, CadrePreference,
CalendarFeed), ``requests`` (Leave, Swap and their ApprovalRequest base), ``imports``
(ImportUpload), ``exports`` (ExportJob)."""
from residency.models.audit import AuditLog
from residency.models.exports import ExportJob
from residency.models.imports import ImportUpload
from residency.models.people import Cadre, Official, Station
from residency.models.places import County, Township, Village
from residency.models.requests import ApprovalRequest, Leave, RequestStatus, Swap
from residency.models.roster import (
    CadrePreference,
    CalendarFeed,
    PositionStatus,
    Presence,
    RosterWeek,
    SpotCheck,
    Stay,
    WorkdayOverride,
)

__all__ = [
    "ApprovalRequest", "AuditLog", "Cadre", "CadrePreference", "CalendarFeed", "County",
    "ExportJob",
    "ImportUpload", "Leave", "Official", "PositionStatus", "Presence", "RequestStatus", "RosterWeek", "SpotCheck", "Station",
    "Stay", "Swap", "Township", "Village", "WorkdayOverride",
]
