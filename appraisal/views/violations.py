from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role, role_of
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.directory.selectors import cadre_list
from residency.web import PaginatedListView, errors_to_form

from .. import selectors, services
from ..forms import AppealDecisionForm, AppealForm, DecisionForm, ViolationCreateForm
from ..models import Appeal, Violation, ViolationSignal
from ..selectors.appraisals import LADDER_DISPLAY
from ..tasks import violation_candidates_sync
from .common import DECIDERS, ORG, READERS, refuse_read_only, year_param

LIST_ROLES = (*READERS, Role.CADRE)


class ViolationListView(PaginatedListView):
    allowed_roles = LIST_ROLES
    template_name = "appraisal/violation_list.html"

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        status = status if status in [*Violation.Status.values, "overturned"] else ""
        signal = self.request.GET.get("signal", "")
        signal = signal if signal in ViolationSignal.Kind.values else ""
        return selectors.violation_list(scope=get_scope(self.request), status=status, signal=signal,
                                        year=year_param(self.request))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        role = role_of(self.request.user)
        ctx.update(year=year_param(self.request),
                   statuses=[*Violation.Status.choices, ("overturned", _("申诉撤销"))],
                   signal_kinds=ViolationSignal.Kind.choices,
                   status=self.request.GET.get("status", ""),
                   signal=self.request.GET.get("signal", ""),
                   can_decide=role in DECIDERS)
        if role == Role.TOWNSHIP_ADMIN:
            ctx["roster_gaps"] = selectors.township_roster_gaps(scope=get_scope(self.request))
        return ctx


def _violation(request, pk: int) -> Violation:
    return scoped_get_or_404(request, selectors.violation_list(scope=get_scope(request), merged=True),
                             pk=pk)


def _appeal_of(violation: Violation) -> Appeal | None:
    try:
        return violation.appeal
    except Appeal.DoesNotExist:
        return None


class ViolationDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = LIST_ROLES
    template_name = "appraisal/violation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        violation = _violation(self.request, kwargs["pk"])
        role = role_of(self.request.user)
        appeal = _appeal_of(violation)
        result, actions = selectors.ladder_for(cadre_id=violation.cadre_id,
                                               year=violation.occurred_on.year)
        ctx.update(violation=violation, appeal=appeal, ladder=result, actions=actions,
                   ladder_display=LADDER_DISPLAY[result.step],
                   source_label=violation.get_source_display(),
                   evidence=selectors.incident_evidence(violation=violation))
        if role in DECIDERS:
            ctx["next_undecided"] = selectors.next_undecided(scope=get_scope(self.request),
                                                             after=violation)
        if (role in DECIDERS and violation.status == Violation.Status.CANDIDATE
                and violation.merged_into_id is None):
            ctx["decision_form"] = kwargs.get("decision_form") or DecisionForm()
        if (role == Role.CADRE and violation.status == Violation.Status.CONFIRMED
                and appeal is None and violation.cadre.user_id == self.request.user.pk):
            ctx["appeal_form"] = kwargs.get("appeal_form") or AppealForm()
        if role in ORG and appeal is not None and appeal.outcome == Appeal.Outcome.PENDING:
            ctx["appeal_decision_form"] = kwargs.get("appeal_decision_form") or AppealDecisionForm()
        return ctx


class ViolationCreateView(RoleRequiredMixin, View):
    allowed_roles = DECIDERS
    template_name = "appraisal/violation_create.html"

    def _form(self, data=None):
        cadres = cadre_list(scope=get_scope(self.request)).filter(active=True)
        return ViolationCreateForm(data, cadres=cadres)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                violation = services.violation_create_manual(
                    cadre=form.cleaned_data["cadre"], occurred_on=form.cleaned_data["occurred_on"],
                    reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("已登记,待认定。"))
                return redirect("appraisal:violation-detail", violation.pk)
        return render(request, self.template_name, {"form": form})


class ViolationDecideView(RoleRequiredMixin, View):
    allowed_roles = DECIDERS

    def post(self, request, pk):
        violation = _violation(request, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            extra = {"present": True} if decision == "dismiss_present" else {}
            service = (services.violation_confirm if decision == "confirm"
                       else services.violation_dismiss)
            try:
                service(violation=violation, by=request.user, note=form.cleaned_data["note"], **extra)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("已处理。"))
                return redirect("appraisal:violation-detail", pk)
        return _rerender(request, pk, decision_form=form)


class AppealFileView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE,)

    def post(self, request, pk):
        violation = _violation(request, pk)
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.appeal_file(violation=violation, by=request.user,
                                     text=form.cleaned_data["text"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("申诉已提交,等待组织部处理。"))
                return redirect("appraisal:violation-detail", pk)
        return _rerender(request, pk, appeal_form=form)


class AppealDecideView(RoleRequiredMixin, View):
    allowed_roles = ORG

    def post(self, request, pk):
        violation = _violation(request, pk)
        appeal = _appeal_of(violation)
        form = AppealDecisionForm(request.POST)
        if appeal is None:
            messages.error(request, _("该记录没有申诉。"))
            return redirect("appraisal:violation-detail", pk)
        if form.is_valid():
            try:
                services.appeal_decide(appeal=appeal, by=request.user,
                                       overturn=form.cleaned_data["outcome"] == "overturn",
                                       note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("申诉已处理。"))
                return redirect("appraisal:violation-detail", pk)
        return _rerender(request, pk, appeal_decision_form=form)


def _rerender(request, pk, **forms):
    view = ViolationDetailView()
    view.setup(request, pk=pk)
    ctx = view.get_context_data(pk=pk, **forms)
    return render(request, view.template_name, ctx, status=400)


class ViolationSyncView(RoleRequiredMixin, View):
    """Run the sweep now (it also runs nightly and on every spot check)."""

    allowed_roles = DECIDERS

    def post(self, request):
        refuse_read_only(request)
        today = timezone.localdate()
        since = today.replace(month=1, day=1)
        violation_candidates_sync.delay_on_commit(since.isoformat(), today.isoformat())
        messages.success(request, _("已开始从住夜和暗访记录中查找待认定的违规线索。"))
        return redirect("appraisal:violation-list")
