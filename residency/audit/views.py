"""The audit log page (system administrator and organisation department)."""
from __future__ import annotations

from residency.access.roles import Role
from residency.access.scoping import get_scope
from residency.audit.labels import action_choices
from residency.audit.selectors import audit_log
from residency.bounded_input import text_param
from residency.web import PaginatedListView


class AuditLogListView(PaginatedListView):
    allowed_roles = (Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT)
    template_name = "residency/auditlog_list.html"

    def get_queryset(self):
        return audit_log(scope=get_scope(self.request),
                                   action=text_param(self.request, "action"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(action_choices=action_choices(), action=text_param(self.request, "action"))
        return ctx
