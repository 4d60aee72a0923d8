"""Thin views of the night log: bind a form, call one service or selector, render."""
from .households import HouseholdDetailView, HouseholdListView, can_see_full_personal_data
from .late import LateVisitDecideView, LateVisitListView
from .links import (
    ContactCardListView,
    ContactCardPrintView,
    LinkCreateView,
    LinkEndView,
    LinkListView,
    LinkSuggestionApplyView,
)
from .problems import (
    ConsultationCreateView,
    ConsultationDetailView,
    ConsultationListView,
    ProblemActView,
    ProblemDetailView,
    ProblemHandOverView,
    ProblemListView,
    ProblemOnSiteView,
)
from .visits import CoverageView, NightLogView, VisitCreateView, VisitDetailView, VisitUpdateView

__all__ = [
    "ConsultationCreateView", "ConsultationDetailView", "ConsultationListView",
    "ContactCardListView", "ContactCardPrintView", "CoverageView", "HouseholdDetailView",
    "HouseholdListView", "LateVisitDecideView", "LateVisitListView", "LinkCreateView", "LinkEndView", "LinkListView",
    "LinkSuggestionApplyView", "NightLogView", "ProblemActView", "ProblemDetailView",
    "ProblemHandOverView", "ProblemListView", "ProblemOnSiteView", "VisitCreateView", "VisitDetailView",
    "VisitUpdateView", "can_see_full_personal_data",
]
