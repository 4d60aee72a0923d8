from django.urls import path

from . import views

app_name = "nightlog"

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/full/", views.HouseholdDetailView.as_view(full=True),
         name="household-detail-full"),
]
