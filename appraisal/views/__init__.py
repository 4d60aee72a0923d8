"""Thin views: bind a form, call one service or selector, render or redirect."""
from .appraisals import (
    AppraisalDetailView,
    AppraisalGradeView,
    AppraisalListView,
    GoldenListView,
    GoldenPublicView,
    PenaltyActionCreateView,
    RulesUpdateView,
)
from .ballots import BallotCastView
from .meetings import (
    MeetingCloseView,
    MeetingCodesView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingReportView,
    MeetingTallyView,
    ReportFileView,
)
from .reports import ReportCsvView, ReportStatsView, ReportXlsxView
from .season import MeetingSeasonView
from .statistics import StatisticsView, StatisticsXlsxView
from .violations import (
    AppealDecideView,
    AppealFileView,
    ViolationCreateView,
    ViolationDecideView,
    ViolationDetailView,
    ViolationListView,
    ViolationSyncView,
)

__all__ = [
    "ReportFileView",
    "AppealDecideView", "AppealFileView", "AppraisalDetailView", "AppraisalGradeView",
    "AppraisalListView", "BallotCastView", "GoldenListView", "GoldenPublicView",
    "MeetingCloseView", "MeetingCodesView", "MeetingCreateView", "MeetingDetailView",
    "MeetingListView", "MeetingReportView", "MeetingSeasonView", "MeetingTallyView", "PenaltyActionCreateView",
    "ReportCsvView", "ReportStatsView", "ReportXlsxView", "RulesUpdateView", "StatisticsView",
    "StatisticsXlsxView",
    "ViolationCreateView", "ViolationDecideView", "ViolationDetailView", "ViolationListView",
    "ViolationSyncView",
]
