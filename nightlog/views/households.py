from __future__ import annotations

from django.views.generic import DetailView

from residency import audit
from residency.access.permissions import STAFF_ROLES, RoleRequiredMixin
from residency.access.roles import FULL_PERSONAL_DATA_ROLES, Role, role_of
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import parse_id, text_param
from residency.privacy.masking import mask_id_card, mask_phone
from residency.web import PaginatedListView

from .. import selectors
from ..models import MustVisit, Visit

HOUSEHOLD_READERS = (*STAFF_ROLES, Role.CADRE)


def can_see_full_personal_data(user, household) -> bool:
    """Admins see everything in scope; a cadre only the households he or she is
    responsible for (an open LinkedHousehold)."""
    role = role_of(user)
    if role in FULL_PERSONAL_DATA_ROLES:
        return True
    return role == Role.CADRE and selectors.is_responsible_cadre(user=user, household=household)


class HouseholdListView(PaginatedListView):
    allowed_roles = HOUSEHOLD_READERS
    template_name = "nightlog/household_list.html"

    def get_queryset(self):
        village = self.request.GET.get("village", "")
        return selectors.household_list(
            scope=get_scope(self.request),
            village_id=parse_id(village),
            category=self.request.GET.get("category", "") if self.request.GET.get("category")
            in MustVisit.values else "",
            q=text_param(self.request, "q"),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["categories"] = MustVisit.choices
        ctx["category"] = self.request.GET.get("category", "")
        for household in ctx["object_list"]:
            household.phone_display = mask_phone(household.phone)
        return ctx


class HouseholdDetailView(RoleRequiredMixin, DetailView):
    """Masked by default; ``full/`` shows the whole record to those allowed, audited."""

    allowed_roles = HOUSEHOLD_READERS
    template_name = "nightlog/household_detail.html"
    context_object_name = "household"
    full = False

    def get_object(self, queryset=None):
        return scoped_get_or_404(self.request, selectors.household_list(scope=get_scope(self.request)),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        household = self.object
        allowed = can_see_full_personal_data(self.request.user, household)
        show_full = self.full and allowed
        if self.full and not allowed:
            audit.record("household_view", obj=household, success=False)
        if show_full:
            audit.record("household_view", obj=household)
        ctx.update(
            can_see_full=allowed,
            show_full=show_full,
            id_card_display=household.id_card if show_full else mask_id_card(household.id_card),
            phone_display=household.phone if show_full else mask_phone(household.phone),
            links=household.links.filter(until__isnull=True).select_related("cadre"),
            recent_visits=get_scope(self.request).filter(
                Visit.objects.filter(household=household).select_related("cadre"))[:10],
            is_cadre=role_of(self.request.user) == Role.CADRE,
        )
        return ctx
