"""Problems (现场破难) and group consultations (集中恳谈)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from residency.access.permissions import STAFF_ROLES, RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.directory import selectors as residency_selectors
from residency.web import PaginatedListView, errors_to_form

from .. import problem_flow, selectors, services
from ..forms import (
    ConsultationForm,
    HandOverForm,
    OnSiteOfficeForm,
    ProblemActionForm,
    owner_queryset,
)
from ..models import Consultation, Problem
from ..services.problems import actors_for
from .common import WRITERS, current_cadre

PROBLEM_READERS = (*STAFF_ROLES, Role.CADRE, Role.VILLAGE_CADRE)
ACTION_LABELS = {
    problem_flow.START: gettext_lazy("开始办理"),
    problem_flow.RESOLVE: gettext_lazy("已解决"),
    problem_flow.CONFIRM: gettext_lazy("农户确认"),
    problem_flow.ESCALATE: gettext_lazy("上报镇(街道)"),
    problem_flow.REOPEN: gettext_lazy("重新办理"),
}


def _problems(request):
    return selectors.problem_list(scope=get_scope(request), user=request.user)


class ProblemListView(PaginatedListView):
    allowed_roles = PROBLEM_READERS
    template_name = "nightlog/problem_list.html"

    def get_queryset(self):
        return selectors.problem_list(
            scope=get_scope(self.request), user=self.request.user,
            status=self.request.GET.get("status", ""),
            overdue=self.request.GET.get("overdue") == "1",
            mine=self.request.GET.get("mine") == "1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = Problem.Status.choices
        ctx["today"] = timezone.localdate()
        return ctx


class ProblemDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = PROBLEM_READERS
    template_name = "nightlog/problem_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        problem = scoped_get_or_404(self.request, _problems(self.request), pk=self.kwargs["pk"])
        actors = actors_for(problem=problem, user=self.request.user)
        if get_scope(self.request).read_only:
            actors = set()
        actions = [a for a in problem_flow.available_actions(problem.status, actors)
                   if a != problem_flow.HAND_OVER]
        can_hand_over = problem_flow.HAND_OVER in problem_flow.available_actions(problem.status, actors)
        ctx.update(
            problem=problem, today=timezone.localdate(),
            events=problem.events.select_related("by").order_by("at", "id"),
            on_site_offices=problem.on_site_offices.order_by("held_on", "id"),
            on_site_form=(kwargs.get("on_site_form") or OnSiteOfficeForm(
                initial={"held_on": timezone.localdate()})) if actors else None,
            actions=[(a, ACTION_LABELS[a]) for a in actions],
            action_form=kwargs.get("action_form") or ProblemActionForm(),
            hand_over_form=HandOverForm(owners=owner_queryset(
                cadre_user=problem.raised_by.user, village_ids=[problem.village_id]))
            if can_hand_over else None,
        )
        return ctx


class ProblemActView(RoleRequiredMixin, View):
    allowed_roles = PROBLEM_READERS

    def post(self, request, pk):
        problem = scoped_get_or_404(request, _problems(request), pk=pk)
        form = ProblemActionForm(request.POST)
        if get_scope(request).read_only:
            messages.error(request, _("只读账号不能修改。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.problem_transition(
                    problem=problem, action=data["action"], by=request.user, note=data["note"],
                    resolution=data["resolution"], on_the_spot=data["on_the_spot"],
                    satisfied=data["satisfied"])
                messages.success(request, _("问题状态已更新。"))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("操作无效。"))
        return redirect("nightlog:problem-detail", pk=problem.pk)


class ProblemOnSiteView(ProblemDetailView):
    """Record a 现场办公 on the problem; bad input comes back on the page's form."""

    http_method_names = ["post"]

    def post(self, request, pk):
        problem = scoped_get_or_404(request, _problems(request), pk=pk)
        form = OnSiteOfficeForm(request.POST)
        if get_scope(request).read_only:
            messages.error(request, _("只读账号不能修改。"))
            return redirect("nightlog:problem-detail", pk=problem.pk)
        if form.is_valid():
            try:
                services.on_site_office_record(problem=problem, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("现场办公已登记。"))
                return redirect("nightlog:problem-detail", pk=problem.pk)
        return self.render_to_response(self.get_context_data(on_site_form=form), status=200)


class ProblemHandOverView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE, Role.TOWNSHIP_ADMIN, Role.SYSTEM_ADMIN)

    def post(self, request, pk):
        problem = scoped_get_or_404(request, _problems(request).select_related("raised_by__user"),
                                    pk=pk)
        form = HandOverForm(request.POST, owners=owner_queryset(
            cadre_user=problem.raised_by.user, village_ids=[problem.village_id]))
        if form.is_valid():
            try:
                services.problem_hand_over(problem=problem, owner=form.cleaned_data["owner"],
                                           by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("问题已移交。"))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("请选择移交对象。"))
        return redirect("nightlog:problem-detail", pk=problem.pk)


class ConsultationListView(PaginatedListView):
    allowed_roles = (*STAFF_ROLES, Role.CADRE)
    template_name = "nightlog/consultation_list.html"

    def get_queryset(self):
        return get_scope(self.request).filter(
            Consultation.objects.select_related("village__township", "convened_by")
            .prefetch_related("participants", "problems"))


class ConsultationCreateView(RoleRequiredMixin, FormView):
    allowed_roles = WRITERS
    template_name = "nightlog/consultation_form.html"
    form_class = ConsultationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = get_scope(self.request)
        kwargs["villages"] = residency_selectors.village_list(scope=scope).filter(
            pk__in=sorted(scope.village_ids))
        kwargs["owners"] = owner_queryset(cadre_user=self.request.user, village_ids=scope.village_ids)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            consultation = services.consultation_create(
                cadre=current_cadre(self.request), village=data["village"],
                held_on=data["held_on"], mode=data["mode"], place=data["place"],
                topics=data["topics"], measures=data["measures"],
                participants=form.participants(), problems=form.problems(),
                by=self.request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("集中恳谈已记录。"))
        return redirect("nightlog:consultation-detail", pk=consultation.pk)


class ConsultationDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = (*STAFF_ROLES, Role.CADRE)
    template_name = "nightlog/consultation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        consultation = scoped_get_or_404(
            self.request, Consultation.objects.select_related("village__township", "convened_by"),
            pk=self.kwargs["pk"])
        ctx.update(consultation=consultation,
                   participants=consultation.participants.all(),
                   problems=consultation.problems.select_related("owner__official", "owner__cadre"))
        return ctx
