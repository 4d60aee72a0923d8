"""Notifications and reminders (issue 6)."""
from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("preferences/", views.PreferenceUpdateView.as_view(), name="preference-update"),
    path("digests/<int:pk>/", views.DigestDetailView.as_view(), name="digest-detail"),
]
