from django.urls import include, path

from . import views

app_name = "residency"

urlpatterns = [
    path("townships/", views.TownshipListView.as_view(), name="township-list"),
    path("villages/", views.VillageListView.as_view(), name="village-list"),
    path("villages/<int:pk>/", views.VillageDetailView.as_view(), name="village-detail"),
    path("cadres/", views.CadreListView.as_view(), name="cadre-list"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre-detail"),
    path("audit/", views.AuditLogListView.as_view(), name="auditlog-list"),
    # Spreadsheet imports (residency/import_urls.py) and the roster (residency/roster_urls.py).
    path("import/", include("residency.import_urls")),
    path("", include("residency.roster_urls")),
]
