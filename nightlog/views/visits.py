"""Visits (the heart of the night log), the night log itself and must-visit coverage."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from residency import selectors as residency_selectors
from residency.bounded_input import parse_id
from residency.permissions import RoleRequiredMixin
from residency.roles import Role
from residency.scoping import get_scope, scoped_get_or_404

from .. import selectors, services
from ..forms import VisitForm, VisitUpdateForm, owner_queryset
from ..nights import editable_until, is_editable, quarter_bounds
from .common import LOG_READERS, WRITERS, current_cadre, date_range, days_back, errors_to_form

VISIT_READERS = LOG_READERS


class VisitCreateView(RoleRequiredMixin, FormView):
    """The fast phone form: household (linked ones on top), when, who went along,
    situation, requests, suggestions, follow-up (optionally a problem)."""

    allowed_roles = WRITERS
    template_name = "nightlog/visit_form.html"
    form_class = VisitForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and get_scope(request).role == Role.CADRE:
            self.cadre = current_cadre(request)
            self.households = selectors.household_options(
                cadre_id=self.cadre.pk, village_ids=get_scope(request).village_ids)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["households"] = self.households
        kwargs["owners"] = owner_queryset(cadre_user=self.request.user,
                                          village_ids=get_scope(self.request).village_ids)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        wanted = self.request.GET.get("household")
        if wanted:
            # A household outside the cadre's village is not there at all (404).
            initial["household"] = get_object_or_404(
                self.households, pk=wanted if wanted.isdigit() else 0).pk
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            visit = services.visit_create(
                cadre=self.cadre, household=data["household"], visited_at=data["visited_at"],
                companions=data["companions"], situation=data["situation"],
                requests=data["requests"], suggestions=data["suggestions"],
                needs_follow_up=data["needs_follow_up"], problem=form.problem_data(),
                by=self.request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已记入民情夜记：%(h)s") % {"h": visit.household})
        return redirect(f"{reverse('nightlog:visit-detail', args=[visit.pk])}?saved=1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cadre"] = self.cadre
        return ctx


class VisitDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = VISIT_READERS
    template_name = "nightlog/visit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visit = scoped_get_or_404(self.request, selectors.visit_list(scope=get_scope(self.request)),
                                  pk=self.kwargs["pk"])
        now = timezone.now()
        ctx.update(
            visit=visit,
            revisions=visit.revisions.select_related("saved_by").order_by("-number"),
            problems=visit.problems.select_related("owner__official", "owner__cadre"),
            editable=(get_scope(self.request).cadre_id == visit.cadre_id
                      and is_editable(visit.created_at, now)),
            editable_until=editable_until(visit.created_at),
            saved=self.request.GET.get("saved") == "1",
        )
        return ctx


class VisitUpdateView(RoleRequiredMixin, FormView):
    allowed_roles = WRITERS
    template_name = "nightlog/visit_update.html"
    form_class = VisitUpdateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and get_scope(request).role == Role.CADRE:
            self.visit = scoped_get_or_404(
                request, selectors.visit_list(scope=get_scope(request)), pk=kwargs["pk"])
            if not is_editable(self.visit.created_at, timezone.now()):
                messages.error(request, _("走访记录保存已超过 48 小时，已锁定，不能再修改。"))
                return redirect("nightlog:visit-detail", pk=self.visit.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        v = self.visit
        return {"visited_at": timezone.localtime(v.visited_at), "companions": v.companions,
                "situation": v.situation, "requests": v.requests, "suggestions": v.suggestions,
                "needs_follow_up": v.needs_follow_up}

    def form_valid(self, form):
        try:
            services.visit_update(visit=self.visit, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("走访记录已修改，修改前的版本已保留。"))
        return redirect("nightlog:visit-detail", pk=self.visit.pk)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visit"] = self.visit
        ctx["editable_until"] = editable_until(self.visit.created_at)
        return ctx


class NightLogView(RoleRequiredMixin, TemplateView):
    """民情夜记: a cadre's diary night by night; admins pick a cadre of their scope."""

    allowed_roles = LOG_READERS
    template_name = "nightlog/night_log.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        today = timezone.localdate()
        form, since, until = date_range(self.request, days_back(today, 13), today)
        cadre = None
        if scope.role == Role.CADRE:
            cadre = current_cadre(self.request)
        else:
            wanted = self.request.GET.get("cadre", "")
            cadres = residency_selectors.cadre_list(scope=scope)
            ctx["cadres"] = cadres.order_by("township__code", "name")
            if wanted:
                cadre = scoped_get_or_404(self.request, cadres, pk=parse_id(wanted))
        ctx.update(form=form, since=since, until=until, cadre=cadre,
                   nights=selectors.night_log(cadre_id=cadre.pk, since=since, until=until)
                   if cadre else [])
        return ctx


class CoverageView(RoleRequiredMixin, TemplateView):
    """Must-visit coverage of a village over a period (default: the current quarter)."""

    allowed_roles = LOG_READERS
    template_name = "nightlog/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        q_start, q_end = quarter_bounds(timezone.localdate())
        form, since, until = date_range(self.request, q_start, q_end)
        villages = residency_selectors.village_list(scope=scope).order_by("township__code", "code")
        if scope.role == Role.CADRE:
            villages = villages.filter(pk__in=sorted(scope.village_ids))
        wanted = self.request.GET.get("village", "")
        if wanted:
            village = scoped_get_or_404(self.request, villages, pk=parse_id(wanted))
            if scope.role == Role.CADRE and village.pk not in scope.village_ids:
                raise Http404
        else:
            village = villages.first()
        ctx.update(form=form, since=since, until=until, villages=villages, village=village,
                   coverage=selectors.coverage(village_ids=[village.pk], since=since, until=until)
                   if village else None)
        return ctx
