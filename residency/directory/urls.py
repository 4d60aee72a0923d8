"""URLs of the directory (included under /residency/)."""
from django.urls import path

from residency.directory import views

urlpatterns = [
    path("townships/", views.TownshipListView.as_view(), name="township-list"),
    path("villages/", views.VillageListView.as_view(), name="village-list"),
    path("villages/<int:pk>/", views.VillageDetailView.as_view(), name="village-detail"),
    path("cadres/", views.CadreListView.as_view(), name="cadre-list"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre-detail"),
]
