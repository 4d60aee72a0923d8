"""URLs of the night roster (included under /residency/)."""
from django.urls import path

from residency.roster.views import grid as r
from residency.roster.views import ops, phone
from residency.roster.views import outputs as out
from residency.roster.views import presence as chk
from residency.roster.views import requests as req

urlpatterns = [
    path("roster/", r.RosterHomeView.as_view(), name="roster-home"),
    path("roster/<int:township>/<str:week>/", r.RosterWeekView.as_view(), name="roster-week"),
    path("roster/<int:township>/<str:week>/night/<str:night>/", phone.RosterNightView.as_view(),
         name="roster-night"),
    path("roster/<int:township>/<str:week>/village/<int:village>/", phone.RosterVillageView.as_view(),
         name="roster-village"),
    path("roster/<int:township>/<str:week>/plan/", r.RosterPlanView.as_view(), name="roster-plan"),
    path("roster/<int:township>/<str:week>/publish/", r.RosterPublishView.as_view(),
         name="roster-publish"),
    path("roster/<int:township>/<str:week>/assign/", r.StayAssignView.as_view(), name="stay-assign"),
    path("roster/<int:township>/<str:week>/print/", out.RosterPrintView.as_view(), name="roster-print"),
    path("roster/<int:township>/<str:week>/xlsx/", out.RosterXlsxView.as_view(), name="roster-xlsx"),
    path("stays/<int:pk>/", r.StayDetailView.as_view(), name="stay-detail"),
    path("stays/<int:pk>/move/", r.StayMoveView.as_view(), name="stay-move"),
    path("stays/<int:pk>/swap/", r.StaySwapView.as_view(), name="stay-swap"),
    path("stays/<int:pk>/pin/", r.StayPinView.as_view(), name="stay-pin"),
    path("stays/<int:pk>/delete/", r.StayDeleteView.as_view(), name="stay-delete"),
    path("stays/<int:pk>/checkin/", r.CheckInView.as_view(), name="stay-checkin"),
    path("stays/<int:pk>/presence/", chk.StayPresenceView.as_view(), name="stay-presence"),
    path("villages/<int:pk>/position/", chk.VillagePositionUpdateView.as_view(),
         name="village-position"),
    path("my-nights/", r.MyNightsView.as_view(), name="roster-mine"),
    path("my-nights/preferences/", req.PreferenceUpdateView.as_view(), name="preference-update"),
    path("my-nights/calendar/", out.CalendarFeedView.as_view(), name="roster-calendar"),
    path("ical/<str:token>.ics", out.roster_ics, name="roster-ics"),
    path("leaves/", req.LeaveListView.as_view(), name="leave-list"),
    path("leaves/new/", req.LeaveCreateView.as_view(), name="leave-create"),
    path("leaves/<int:pk>/approve/", req.LeaveApproveView.as_view(), name="leave-approve"),
    path("leaves/<int:pk>/reject/", req.LeaveRejectView.as_view(), name="leave-reject"),
    path("leaves/<int:pk>/cancel/", req.LeaveCancelView.as_view(), name="leave-cancel"),
    path("swaps/", req.SwapListView.as_view(), name="swap-list"),
    path("stays/<int:pk>/swap-request/", req.SwapCreateView.as_view(), name="swap-create"),
    path("swaps/<int:pk>/approve/", req.SwapApproveView.as_view(), name="swap-approve"),
    path("swaps/<int:pk>/reject/", req.SwapRejectView.as_view(), name="swap-reject"),
    path("swaps/<int:pk>/cancel/", req.SwapCancelView.as_view(), name="swap-cancel"),
    path("spot-checks/", ops.SpotCheckListView.as_view(), name="spotcheck-list"),
    path("spot-checks/new/", ops.SpotCheckCreateView.as_view(), name="spotcheck-create"),
    path("workdays/", ops.WorkdayOverrideListView.as_view(), name="workday-list"),
    path("workdays/<int:pk>/delete/", ops.WorkdayOverrideDeleteView.as_view(), name="workday-delete"),
    path("dashboard/township/", ops.TownshipDashboardView.as_view(), name="dashboard-township"),
    path("dashboard/county/", ops.CountyDashboardView.as_view(), name="dashboard-county"),
]
