"""The role home page: one per role; every app adds its cards by registering them
(``residency.web.register_home_cards``) in its ``AppConfig.ready()``."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from residency.access.roles import Role, role_of
from residency.access.scoping import get_scope
from residency.directory import selectors
from residency.web import home_cards


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
        ctx["home_cards"] = home_cards(role.value) if role else []
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
