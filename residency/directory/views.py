"""The directory: townships, villages and cadres, as lists and detail pages."""
from __future__ import annotations

from django.views.generic import DetailView

from residency.access.permissions import STAFF_ROLES, RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import parse_id, text_param
from residency.directory import selectors
from residency.web import PaginatedListView


class TownshipListView(PaginatedListView):
    allowed_roles = STAFF_ROLES
    template_name = "residency/township_list.html"

    def get_queryset(self):
        return selectors.township_list(scope=get_scope(self.request))


class VillageListView(PaginatedListView):
    allowed_roles = (*STAFF_ROLES, Role.INSPECTOR)
    template_name = "residency/village_list.html"

    def get_queryset(self):
        township = self.request.GET.get("township")
        return selectors.village_list(
            scope=get_scope(self.request),
            township_id=parse_id(township),
            q=text_param(self.request, "q"),
        )


class VillageDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = (*STAFF_ROLES, Role.INSPECTOR, Role.CADRE, Role.VILLAGE_CADRE)
    template_name = "residency/village_detail.html"
    context_object_name = "village"

    def get_object(self, queryset=None):
        return scoped_get_or_404(self.request, selectors.village_list(scope=get_scope(self.request)),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cadres"] = selectors.cadre_list(scope=get_scope(self.request), village_id=self.object.pk)
        ctx["can_set_position"] = get_scope(self.request).role == Role.TOWNSHIP_ADMIN
        return ctx


class CadreListView(PaginatedListView):
    allowed_roles = (*STAFF_ROLES, Role.INSPECTOR)
    template_name = "residency/cadre_list.html"

    def get_queryset(self):
        return selectors.cadre_list(scope=get_scope(self.request),
                                    q=text_param(self.request, "q"))


class CadreDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = (*STAFF_ROLES, Role.INSPECTOR, Role.CADRE)
    template_name = "residency/cadre_detail.html"
    context_object_name = "cadre"

    def get_object(self, queryset=None):
        return scoped_get_or_404(self.request, selectors.cadre_list(scope=get_scope(self.request)),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stations"] = selectors.station_history(cadre=self.object)
        return ctx
