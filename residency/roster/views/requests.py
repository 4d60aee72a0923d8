"""Leave and swap requests: cadres ask, the township admin decides."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.models import Cadre, CadrePreference, Leave, RosterWeek, Stay, Swap
from residency.roster import selectors as sel
from residency.roster import services as svc
from residency.roster.forms import DecisionForm, LeaveRequestForm, PreferenceForm, SwapRequestForm
from residency.roster.views.grid import _cadre_of
from residency.web import PaginatedListView, error_text

ADMIN = (Role.TOWNSHIP_ADMIN,)
# The organisation department decides 补假 further back than the township admin may.
LEAVE_DECIDERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)


class LeaveListView(PaginatedListView):
    """A cadre's own leave; a township admin's township (pending first)."""

    allowed_roles = (Role.CADRE, Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN)
    template_name = "residency/leave_list.html"

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        if status not in Leave.Status.values:
            status = ""
        return sel.leave_list(scope=get_scope(self.request), status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = Leave.Status.choices
        ctx["status"] = self.request.GET.get("status", "")
        role = get_scope(self.request).role
        ctx["is_admin"] = role == Role.TOWNSHIP_ADMIN
        ctx["is_org"] = role == Role.ORG_DEPARTMENT
        ctx["decision_form"] = DecisionForm()
        ctx["today"] = timezone.localdate()
        ctx["backdate_limit"] = ctx["today"] - timedelta(days=svc.backdate_days_township())
        return ctx


class LeaveCreateView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE,)
    template_name = "residency/leave_form.html"

    def get(self, request):
        today = timezone.localdate()
        return render(request, self.template_name, {"form": LeaveRequestForm(
            initial={"start": today, "end": today, "kind": Leave.Kind.PERSONAL})})

    def post(self, request):
        cadre = _cadre_of(request)
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            try:
                svc.leave_request(cadre=cadre, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("请假申请已提交, 等待镇(街道)管理员审批。"))
                return HttpResponseRedirect(reverse("residency:leave-list"))
        return render(request, self.template_name, {"form": form}, status=400)


class _Decide(RoleRequiredMixin, View):
    allowed_roles = ADMIN
    model = Leave
    back = "residency:leave-list"

    def post(self, request, pk):
        obj = scoped_get_or_404(request, self.model.objects.all(), pk=pk)
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            self.decide(obj, request.user, note)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(reverse(self.back))


class LeaveApproveView(_Decide):
    allowed_roles = LEAVE_DECIDERS
    done = gettext_lazy("已批准请假; 请假日期内的住夜已取消并重新安排。")

    def decide(self, obj, user, note):
        svc.leave_approve(leave=obj, by=user, note=note)


class LeaveRejectView(_Decide):
    allowed_roles = LEAVE_DECIDERS
    done = gettext_lazy("已驳回请假。")

    def decide(self, obj, user, note):
        svc.leave_reject(leave=obj, by=user, note=note)


class LeaveCancelView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE,)

    def post(self, request, pk):
        leave = scoped_get_or_404(request, Leave.objects.all(), pk=pk)
        try:
            svc.leave_cancel(leave=leave, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("请假已撤销。"))
        return HttpResponseRedirect(reverse("residency:leave-list"))


class SwapListView(PaginatedListView):
    allowed_roles = (Role.CADRE, Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN)
    template_name = "residency/swap_list.html"

    def get_queryset(self):
        scope = get_scope(self.request)
        if scope.role == Role.CADRE:
            return sel.cadre_swaps(cadre_id=scope.cadre_id)
        status = self.request.GET.get("status", "")
        return sel.swap_list(scope=scope, status=status if status in Swap.Status.values else "")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_admin"] = get_scope(self.request).role == Role.TOWNSHIP_ADMIN
        ctx["statuses"] = Swap.Status.choices
        ctx["status"] = self.request.GET.get("status", "")
        ctx["me"] = get_scope(self.request).cadre_id
        return ctx


class SwapCreateView(RoleRequiredMixin, View):
    """A cadre asks a colleague of the township to take (or exchange) a published night."""

    allowed_roles = (Role.CADRE,)
    template_name = "residency/swap_form.html"

    def _context(self, request, pk):
        cadre = _cadre_of(request)
        stay = scoped_get_or_404(request, Stay.objects.select_related("village", "week").filter(
            week__status=RosterWeek.Status.PUBLISHED), pk=pk)
        colleagues = Cadre.objects.filter(township_id=cadre.township_id, active=True).exclude(
            pk=cadre.pk).order_by("name")
        stays = (Stay.objects.filter(week_id=stay.week_id).exclude(cadre=cadre)
                 .select_related("cadre", "village").order_by("night"))
        return cadre, stay, {"colleagues": colleagues, "colleague_stays": stays}

    def get(self, request, pk):
        _cadre, stay, kw = self._context(request, pk)
        return render(request, self.template_name, {"form": SwapRequestForm(**kw), "stay": stay})

    def post(self, request, pk):
        cadre, stay, kw = self._context(request, pk)
        form = SwapRequestForm(request.POST, **kw)
        if form.is_valid():
            try:
                svc.swap_request(stay=stay, by_cadre=cadre, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("换班申请已提交, 等待镇(街道)管理员审批。"))
                return HttpResponseRedirect(reverse("residency:swap-list"))
        return render(request, self.template_name, {"form": form, "stay": stay}, status=400)


class SwapApproveView(_Decide):
    model = Swap
    back = "residency:swap-list"
    done = gettext_lazy("已批准换班。")

    def decide(self, obj, user, note):
        svc.swap_approve(swap=obj, by=user, note=note)


class SwapRejectView(_Decide):
    model = Swap
    back = "residency:swap-list"
    done = gettext_lazy("已驳回换班。")

    def decide(self, obj, user, note):
        svc.swap_reject(swap=obj, by=user, note=note)


class SwapCancelView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE,)

    def post(self, request, pk):
        cadre = _cadre_of(request)
        swap = scoped_get_or_404(request, Swap.objects.all(), pk=pk)
        try:
            svc.swap_cancel(swap=swap, by_cadre=cadre, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("换班申请已撤销。"))
        return HttpResponseRedirect(reverse("residency:swap-list"))


class PreferenceUpdateView(RoleRequiredMixin, View):
    """The cadre states which weekdays he or she prefers or avoids; the planner honours
    them when the rules allow (a soft cost, never above coverage)."""

    allowed_roles = (Role.CADRE,)
    template_name = "residency/preference_form.html"

    def get(self, request):
        cadre = _cadre_of(request)
        current = CadrePreference.objects.filter(cadre=cadre).first()
        initial = ({"preferred_weekdays": current.preferred_weekdays,
                    "avoided_weekdays": current.avoided_weekdays} if current else {})
        return render(request, self.template_name, {"form": PreferenceForm(initial=initial)})

    def post(self, request):
        cadre = _cadre_of(request)
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                svc.preference_set(cadre=cadre,
                                   preferred_weekdays=form.cleaned_data["preferred_weekdays"],
                                   avoided_weekdays=form.cleaned_data["avoided_weekdays"])
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("住夜偏好已保存，下次排班时会尽量照顾。"))
                return HttpResponseRedirect(reverse("residency:roster-mine"))
        return render(request, self.template_name, {"form": form}, status=400)
