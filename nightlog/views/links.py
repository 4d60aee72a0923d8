"""Linked households (联系户), assigned by the township admin, and contact cards."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import parse_id
from residency.directory import selectors as residency_selectors
from residency.models import Village
from residency.web import errors_to_form

from .. import services
from ..forms import CardForm, LinkForm
from ..linking import MINIMUM_LINKS
from ..models import ContactCard, Household, LinkedHousehold
from ..selectors import household_options
from ..services.links import suggestion_for_village
from .common import WRITERS, current_cadre

LINK_ADMINS = (Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN)


def _village(request, pk) -> Village:
    return scoped_get_or_404(request, residency_selectors.village_list(scope=get_scope(request)),
                             pk=pk)


class LinkListView(RoleRequiredMixin, TemplateView):
    """Per village: each cadre's ties, must-visit households with nobody responsible, the
    suggestion that fills each cadre up to 5, and a form to add a tie."""

    allowed_roles = LINK_ADMINS
    template_name = "nightlog/link_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        villages = residency_selectors.village_list(scope=scope).order_by("township__code", "code")
        wanted = self.request.GET.get("village", "")
        village = _village(self.request, wanted) if wanted else villages.first()
        ctx.update(villages=villages, village=village, minimum=MINIMUM_LINKS)
        if village is None:
            return ctx
        cadres = residency_selectors.cadre_list(scope=scope, village_id=village.pk).order_by("name")
        links = (LinkedHousehold.objects.filter(household__village=village, until__isnull=True)
                 .select_related("cadre", "household").order_by("cadre__name", "household__head"))
        by_cadre = {c.pk: {"cadre": c, "links": []} for c in cadres}
        for link in links:
            by_cadre.setdefault(link.cadre_id, {"cadre": link.cadre, "links": []})["links"].append(link)
        households = Household.objects.filter(village=village).order_by("group", "head")
        linked_ids = {link.household_id for link in links}
        ctx.update(
            rows=list(by_cadre.values()),
            unlinked=[h for h in households.exclude(categories="") if h.pk not in linked_ids],
            suggestion=suggestion_for_village(village=village),
            form=kwargs.get("form") or LinkForm(cadres=cadres, households=households),
        )
        return ctx


class LinkCreateView(RoleRequiredMixin, View):
    allowed_roles = LINK_ADMINS

    def post(self, request, village_pk):
        village = _village(request, village_pk)
        form = LinkForm(request.POST, cadres=residency_selectors.cadre_list(
            scope=get_scope(request), village_id=village.pk),
            households=Household.objects.filter(village=village))
        if form.is_valid():
            try:
                services.link_create(cadre=form.cleaned_data["cadre"],
                                     household=form.cleaned_data["household"], by=request.user)
            except ValidationError as exc:
                errors_to_form(form, exc)
        if form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("已添加联系户。"))
        return redirect(f"{_link_list_url()}?village={village.pk}")


def _link_list_url() -> str:
    from django.urls import reverse

    return reverse("nightlog:link-list")


class LinkEndView(RoleRequiredMixin, View):
    allowed_roles = LINK_ADMINS

    def post(self, request, pk):
        link = scoped_get_or_404(request, LinkedHousehold.objects.select_related("household"),
                                 pk=pk)
        try:
            services.link_end(link=link, by=request.user)
            messages.success(request, _("已结束该联系。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{_link_list_url()}?village={link.household.village_id}")


class LinkSuggestionApplyView(RoleRequiredMixin, View):
    allowed_roles = LINK_ADMINS

    def post(self, request, village_pk):
        village = _village(request, village_pk)
        created = services.links_apply_suggestion(village=village, by=request.user)
        messages.success(request, _("已按建议添加 %(n)s 个联系户。") % {"n": len(created)})
        return redirect(f"{_link_list_url()}?village={village.pk}")


class ContactCardListView(RoleRequiredMixin, TemplateView):
    """The cadre's contact cards (民情联系卡): record one, list them, print a sheet."""

    allowed_roles = WRITERS
    template_name = "nightlog/contactcard_list.html"

    def _households(self):
        return household_options(cadre_id=get_scope(self.request).cadre_id,
                                 village_ids=get_scope(self.request).village_ids)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or CardForm(households=self._households())
        ctx["cards"] = (ContactCard.objects.filter(cadre_id=get_scope(self.request).cadre_id)
                        .select_related("household")[:200])
        return ctx

    def post(self, request):
        cadre = current_cadre(request)
        form = CardForm(request.POST, households=self._households())
        if form.is_valid():
            try:
                services.card_record(cadre=cadre, household=form.cleaned_data["household"],
                                     given_on=form.cleaned_data["given_on"],
                                     note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("已登记发放联系卡。"))
                return redirect("nightlog:card-list")
        return self.render_to_response(self.get_context_data(form=form))


class ContactCardPrintView(RoleRequiredMixin, TemplateView):
    """Cards several to an A4 sheet: name, phone, village, what to contact about."""

    allowed_roles = (Role.CADRE, Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN)
    template_name = "nightlog/contactcard_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        cadres = residency_selectors.cadre_list(scope=scope)
        if scope.role == Role.CADRE:
            cadre = cadres.get(pk=scope.cadre_id)
        elif self.request.GET.get("cadre"):
            cadre = scoped_get_or_404(self.request, cadres, pk=parse_id(self.request.GET["cadre"]))
        else:
            ctx.update(cadre=None, cadres=cadres.order_by("township__code", "name"))
            return ctx
        copies = min(parse_id(self.request.GET.get("copies")) or 8, 40)
        station = cadre.open_stations[0] if cadre.open_stations else None
        ctx.update(cadre=cadre, station=station, cards=range(copies), copies=copies)
        return ctx
