from django.urls import path

from . import views

app_name = "nightlog"

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/full/", views.HouseholdDetailView.as_view(full=True),
         name="household-detail-full"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit-create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("visits/<int:pk>/update/", views.VisitUpdateView.as_view(), name="visit-update"),
    path("visits/late/", views.LateVisitListView.as_view(), name="late-visit-list"),
    path("visits/late/<int:pk>/decide/", views.LateVisitDecideView.as_view(),
         name="late-visit-decide"),
    path("log/", views.NightLogView.as_view(), name="night-log"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("links/", views.LinkListView.as_view(), name="link-list"),
    path("links/villages/<int:village_pk>/create/", views.LinkCreateView.as_view(),
         name="link-create"),
    path("links/villages/<int:village_pk>/suggestion/", views.LinkSuggestionApplyView.as_view(),
         name="link-suggestion-apply"),
    path("links/<int:pk>/end/", views.LinkEndView.as_view(), name="link-end"),
    path("cards/", views.ContactCardListView.as_view(), name="card-list"),
    path("cards/print/", views.ContactCardPrintView.as_view(), name="card-print"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultation-list"),
    path("consultations/new/", views.ConsultationCreateView.as_view(),
         name="consultation-create"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(),
         name="consultation-detail"),
    path("problems/", views.ProblemListView.as_view(), name="problem-list"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem-detail"),
    path("problems/<int:pk>/act/", views.ProblemActView.as_view(), name="problem-act"),
    path("problems/<int:pk>/on-site/", views.ProblemOnSiteView.as_view(), name="problem-on-site"),
    path("problems/<int:pk>/hand-over/", views.ProblemHandOverView.as_view(),
         name="problem-hand-over"),
]
