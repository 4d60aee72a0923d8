"""URLs of the residency app, one include per room; names live in the ``residency`` namespace."""
from django.urls import include, path

app_name = "residency"

urlpatterns = [
    path("", include("residency.directory.urls")),
    path("", include("residency.audit.urls")),
    path("import/", include("residency.importing.urls")),
    path("exports/", include("residency.exports.urls")),
    path("", include("residency.roster.urls")),
]
