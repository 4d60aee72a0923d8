from django.urls import path

from residency.exports import views

urlpatterns = [
    path("", views.ExportJobListView.as_view(), name="export-list"),
    path("new/<slug:kind>/", views.ExportJobCreateView.as_view(), name="export-create"),
    path("<int:pk>/", views.ExportJobDetailView.as_view(), name="export-detail"),
    path("<int:pk>/progress/", views.ExportJobProgressView.as_view(), name="export-progress"),
    path("<int:pk>/download/", views.ExportJobDownloadView.as_view(), name="export-download"),
]
