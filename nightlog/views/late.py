"""补记 requests for visits older than the late-entry limit: the cadre's own list, the
township admin's list with approve / refuse."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.web import error_text

from .. import services
from ..models import LateVisitRequest

DECIDERS = (Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN)


APPROVED = _("已批准：走访已记入民情夜记，标注“补记”。")
REJECTED = _("已驳回补记申请。")


class LateVisitListView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.CADRE, *DECIDERS)
    template_name = "nightlog/late_visit_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        requests = (scope.filter(LateVisitRequest.objects.select_related(
            "cadre", "household__village", "decided_by", "visit"))
            .order_by("-status", "-requested_at", "-id"))  # pending before approved/rejected
        ctx.update(pending=[r for r in requests[:200] if r.status == LateVisitRequest.Status.PENDING],
                   decided=[r for r in requests[:200] if r.status != LateVisitRequest.Status.PENDING],
                   can_decide=scope.role in DECIDERS, late_days=services.late_entry_days())
        return ctx


class LateVisitDecideView(RoleRequiredMixin, View):
    allowed_roles = DECIDERS

    def post(self, request, pk):
        queryset = get_scope(request).filter(LateVisitRequest.objects.all())
        scoped_get_or_404(request, queryset, pk=pk)
        approve = request.POST.get("decision") == "approve"
        try:
            services.late_visit_request_decide(queryset=queryset, pk=pk, approve=approve,
                                               by=request.user,
                                               note=request.POST.get("note", "")[:200])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, APPROVED if approve else REJECTED)
        return HttpResponseRedirect(reverse("nightlog:late-visit-list"))
