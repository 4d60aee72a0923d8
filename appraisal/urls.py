"""Violations, the ladder, review meetings and ballots, grades, 金口碑 and reports."""
from django.urls import path

from . import views

app_name = "appraisal"

urlpatterns = [
    path("violations/", views.ViolationListView.as_view(), name="violation-list"),
    path("violations/new/", views.ViolationCreateView.as_view(), name="violation-create"),
    path("violations/sync/", views.ViolationSyncView.as_view(), name="violation-sync"),
    path("violations/<int:pk>/", views.ViolationDetailView.as_view(), name="violation-detail"),
    path("violations/<int:pk>/decide/", views.ViolationDecideView.as_view(), name="violation-decide"),
    path("violations/<int:pk>/appeal/", views.AppealFileView.as_view(), name="appeal-file"),
    path("violations/<int:pk>/appeal/decide/", views.AppealDecideView.as_view(),
         name="appeal-decide"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/season/", views.MeetingSeasonView.as_view(), name="meeting-season"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/report/", views.MeetingReportView.as_view(), name="meeting-report"),
    path("meetings/<int:pk>/reports/<int:report_pk>/file/", views.ReportFileView.as_view(),
         name="report-file"),
    path("meetings/<int:pk>/tally/", views.MeetingTallyView.as_view(), name="meeting-tally"),
    path("meetings/<int:pk>/codes/", views.MeetingCodesView.as_view(), name="meeting-codes"),
    path("meetings/<int:pk>/close/", views.MeetingCloseView.as_view(), name="meeting-close"),
    path("vote/", views.BallotCastView.as_view(), name="ballot"),
    path("appraisals/", views.AppraisalListView.as_view(), name="appraisal-list"),
    path("cadres/<int:pk>/<int:year>/", views.AppraisalDetailView.as_view(),
         name="appraisal-detail"),
    path("cadres/<int:pk>/<int:year>/grade/", views.AppraisalGradeView.as_view(),
         name="appraisal-grade"),
    path("cadres/<int:pk>/<int:year>/penalty/", views.PenaltyActionCreateView.as_view(),
         name="penalty-create"),
    path("rules/", views.RulesUpdateView.as_view(), name="rules-update"),
    path("golden/", views.GoldenListView.as_view(), name="golden-list"),
    path("golden/<int:year>/public/", views.GoldenPublicView.as_view(), name="golden-public"),
    path("reports/", views.ReportStatsView.as_view(), name="report-stats"),
    path("reports/appraisal.xlsx", views.ReportXlsxView.as_view(), name="report-xlsx"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/statistics.xlsx", views.StatisticsXlsxView.as_view(), name="statistics-xlsx"),
    path("reports/appraisal.csv", views.ReportCsvView.as_view(), name="report-csv"),
]
