"""URL of the audit log page (included under /residency/)."""
from django.urls import path

from residency.audit import views

urlpatterns = [
    path("audit/", views.AuditLogListView.as_view(), name="auditlog-list"),
]
