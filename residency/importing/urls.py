"""Spreadsheet imports, included at ``/residency/import/``."""
from django.urls import path

from residency.importing import views as views_import

urlpatterns = [
    path("", views_import.ImportStartView.as_view(), name="import-start"),
    path("template/<slug:kind>/", views_import.ImportTemplateView.as_view(),
         name="import-template"),
    path("preview/", views_import.ImportPreviewView.as_view(), name="import-preview"),
    path("confirm/", views_import.ImportConfirmView.as_view(), name="import-confirm"),
]
