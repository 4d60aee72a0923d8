"""Home pages per role, the directory (townships, villages, cadres) and the audit log."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import DetailView, ListView, TemplateView

from . import selectors
from .audit_labels import action_choices
from .bounded_input import parse_id, text_param
from .permissions import STAFF_ROLES, RoleRequiredMixin
from .roles import Role, role_of
from .scoping import get_scope, scoped_get_or_404


class HomeView(LoginRequiredMixin, TemplateView):
    """One home per role; the other apps add their cards through template partials."""

    def get_template_names(self):
        role = role_of(self.request.user)
        return [f"residency/home_{role.value}.html" if role else "residency/home_none.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        ctx["scope"] = scope
        role = role_of(self.request.user)
        if role == Role.CADRE and scope.cadre_id:
            cadre = self.request.user.cadre
            ctx["cadre"] = cadre
            ctx["station"] = selectors.current_station(cadre=cadre)
        elif role in (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER,
                      Role.SYSTEM_ADMIN, Role.INSPECTOR, Role.VILLAGE_CADRE):
            ctx["townships"] = selectors.township_list(scope=scope)[:50]
            if role in (Role.INSPECTOR, Role.VILLAGE_CADRE):
                ctx["villages"] = selectors.village_list(scope=scope)[:50]
        return ctx


class PaginatedListView(RoleRequiredMixin, ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["querystring"] = params.urlencode()
        ctx["q"] = text_param(self.request, "q")
        return ctx


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


class AuditLogListView(PaginatedListView):
    allowed_roles = (Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT)
    template_name = "residency/auditlog_list.html"

    def get_queryset(self):
        return selectors.audit_log(scope=get_scope(self.request),
                                   action=text_param(self.request, "action"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(action_choices=action_choices(), action=text_param(self.request, "action"))
        return ctx


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "registration/locked_out.html", status=403)
