"""Visits (the heart of the night log), the night log itself and must-visit coverage."""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import parse_id
from residency.directory import selectors as residency_selectors
from residency.web import errors_to_form

from .. import selectors, services
from ..forms import VisitForm, VisitUpdateForm, owner_queryset
from ..nights import editable_until, is_editable, quarter_bounds
from .common import LOG_READERS, WRITERS, current_cadre, date_range, days_back

VISIT_READERS = LOG_READERS


def wants_json(request) -> bool:
    """The outbox (static/js/outbox.js) sends the form with ``Accept: application/json``."""
    return "application/json" in request.headers.get("Accept", "")


class VisitCreateView(RoleRequiredMixin, FormView):
    """The fast phone form: household (linked ones on top), when, who went along,
    situation, requests, suggestions, follow-up (optionally a problem).

    Exactly once: the form's ``client_key`` already saved answers with that visit, before
    anything else is checked (a reload, a double tap or the outbox sending again). The
    outbox asks for JSON: ``saved`` (with the visit's URL), ``requested`` (a 补记 request),
    ``invalid`` (400, with the errors)."""

    allowed_roles = WRITERS
    template_name = "nightlog/visit_form.html"
    form_class = VisitForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and get_scope(request).role == Role.CADRE:
            self.cadre = current_cadre(request)
            self.households = selectors.household_options(
                cadre_id=self.cadre.pk, village_ids=get_scope(request).village_ids)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        owner = request.POST.get("outbox_user")
        if owner and owner != str(request.user.pk):
            # Saved on this phone by someone else: it waits for its owner's login.
            return JsonResponse({"status": "other_user"}, status=409)
        try:
            key = uuid.UUID(request.POST.get("client_key", ""))
        except ValueError:
            key = None
        if key is not None:
            try:
                existing = services.visit_by_key(cadre=self.cadre, client_key=key)
            except ValidationError:
                existing = None  # the form refuses it below
            if existing is not None:
                return self.saved(existing)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["households"] = self.households
        kwargs["owners"] = owner_queryset(cadre_user=self.request.user,
                                          village_ids=get_scope(self.request).village_ids)
        kwargs["owner_initial"] = self.request.user.pk
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
        content = {"companions": data["companions"], "situation": data["situation"],
                   "requests": data["requests"], "suggestions": data["suggestions"],
                   "needs_follow_up": data["needs_follow_up"]}
        try:
            try:
                visit = services.visit_create(
                    cadre=self.cadre, household=data["household"],
                    visited_at=data["visited_at"], problem=form.problem_data(),
                    client_key=data["client_key"], by=self.request.user, **content)
            except services.LateEntryNeedsApproval:
                if not (data.get("late_reason") or "").strip():
                    form.needs_late_reason = True
                    raise
                late = services.late_visit_request_create(
                    cadre=self.cadre, household=data["household"],
                    visited_at=data["visited_at"], reason=data["late_reason"],
                    client_key=data["client_key"], **content)
                return self.requested(late)
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        return self.saved(visit)

    def form_invalid(self, form):
        if wants_json(self.request):
            return JsonResponse({"status": "invalid", "late": getattr(form, "needs_late_reason",
                                                                      False),
                                 "errors": {k: [str(m) for m in v] for k, v in form.errors.items()}},
                                status=400)
        return super().form_invalid(form)

    def saved(self, visit):
        again = getattr(visit, "already_saved", False)
        url = f"{reverse('nightlog:visit-detail', args=[visit.pk])}?saved=1"
        if again:
            url += "&again=1"
        if wants_json(self.request):
            return JsonResponse({"status": "saved", "visit": visit.pk, "url": url,
                                 "created": not again, "client_key": str(visit.client_key)})
        return redirect(url)

    def requested(self, late):
        url = reverse("nightlog:late-visit-list")
        if wants_json(self.request):
            return JsonResponse({"status": "requested", "url": url,
                                 "client_key": str(late.client_key)})
        messages.success(self.request, _("已提交补记申请：镇(街道)管理员批准后记入民情夜记(标注“补记”)。"))
        return redirect(url)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cadre"] = self.cadre
        ctx["late_days"] = services.late_entry_days()
        ctx["rendered_at"] = timezone.now().isoformat()
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
            revisions=visit.revisions.select_related(
                "saved_by__official", "saved_by__cadre").order_by("-number"),
            problems=visit.problems.select_related("owner__official", "owner__cadre"),
            editable=(get_scope(self.request).cadre_id == visit.cadre_id
                      and is_editable(visit.created_at, now)),
            editable_until=editable_until(visit.created_at),
            saved=self.request.GET.get("saved") == "1",
            saved_again=self.request.GET.get("again") == "1",
            updated=self.request.GET.get("updated") == "1",
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
        return redirect(f"{reverse('nightlog:visit-detail', args=[self.visit.pk])}?updated=1")

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
