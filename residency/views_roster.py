"""The township admin's week grid and edits, publishing, and the cadre's own nights and
check-in. Views are thin: bind a form, call one service, show its refusal in Chinese."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import roster_dashboards as dash
from . import roster_selectors as sel
from . import services_roster as svc
from .bounded_input import check_roster_week
from .forms_roster import StayAssignForm, StayMoveForm, StaySwapForm
from .isoweek import BadWeek, format_week, monday_of, parse_week
from .models import Cadre, RosterWeek, Stay, Township, Village
from .permissions import RoleRequiredMixin
from .roles import Role
from .scoping import get_scope, scoped_get_or_404

VIEWERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
EDITORS = (Role.TOWNSHIP_ADMIN,)


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def get_township(request, pk) -> Township:
    return scoped_get_or_404(request, Township.objects.select_related("county"), pk=pk)


def get_monday(value: str):
    try:
        monday = parse_week(value)
        check_roster_week(monday)
    except BadWeek as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        raise Http404(error_text(exc)) from exc
    return monday


def week_url(township_id: int, monday) -> str:
    return reverse("residency:roster-week", args=[township_id, format_week(monday)])


class RosterHomeView(RoleRequiredMixin, View):
    """/roster/: the township admin's current week; higher roles go to the county dashboard."""

    allowed_roles = VIEWERS

    def get(self, request):
        scope = get_scope(request)
        if scope.township_id and scope.role == Role.TOWNSHIP_ADMIN:
            return redirect(week_url(scope.township_id, monday_of(timezone.localdate())))
        return redirect("residency:dashboard-county")


class RosterWeekView(RoleRequiredMixin, TemplateView):
    """The village x night grid of one township's week, with plan / publish and edits."""

    allowed_roles = VIEWERS
    template_name = "residency/roster_week.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        township = get_township(self.request, kwargs["township"])
        monday = get_monday(kwargs["week"])
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6))
        week = grid.weeks.get(monday)
        ctx.update(
            township=township, monday=monday, week=week, grid=grid,
            week_label=format_week(monday),
            prev_week=format_week(monday - timedelta(days=7)),
            next_week=format_week(monday + timedelta(days=7)),
            can_edit=get_scope(self.request).role == Role.TOWNSHIP_ADMIN,
            counts=dash.cadre_week_counts(township=township, week_start=monday),
            calendar_warning=svc.calendar_warning(years={monday.year, (monday + timedelta(days=6)).year}),
            today=timezone.localdate(),
        )
        return ctx


class _WeekAction(RoleRequiredMixin, View):
    allowed_roles = EDITORS

    def post(self, request, township, week):
        township = get_township(request, township)
        monday = get_monday(week)
        try:
            self.act(request, township, monday)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(week_url(township.pk, monday))


class RosterPlanView(_WeekAction):
    def act(self, request, township, monday):
        summary = svc.roster_plan(township=township, week_start=monday, by=request.user)
        messages.success(request, _("排班完成: 新增 %(c)d 晚, 调整 %(u)d 晚, 取消 %(d)d 晚。") % {
            "c": summary.created, "u": summary.updated, "d": summary.deleted})
        if summary.gaps:
            messages.warning(request, _("有 %(n)d 个村·夜无法覆盖, 原因见表格。") % {"n": len(summary.gaps)})


class RosterPublishView(_WeekAction):
    def act(self, request, township, monday):
        week = RosterWeek.objects.filter(township=township, week_start=monday).first()
        if week is None:
            raise ValidationError(_("本周还没有任何住夜安排, 请先排班。"))
        svc.roster_publish(week=week, by=request.user)
        messages.success(request, _("本周排班已发布, 干部现在可以看到自己的住夜。"))


def _form_kwargs(township: Township, monday):
    return {"cadres": Cadre.objects.filter(township=township, active=True).order_by("name"),
            "villages": Village.objects.filter(township=township).order_by("code"),
            "week_start": monday}


class StayAssignView(RoleRequiredMixin, View):
    allowed_roles = EDITORS
    template_name = "residency/roster_stay_form.html"

    def _setup(self, request, township, week):
        self.township = get_township(request, township)
        self.monday = get_monday(week)

    def get(self, request, township, week):
        self._setup(request, township, week)
        initial = {"village": request.GET.get("village"), "night": request.GET.get("night")}
        form = StayAssignForm(initial=initial, **_form_kwargs(self.township, self.monday))
        return self._render(request, form)

    def post(self, request, township, week):
        self._setup(request, township, week)
        form = StayAssignForm(request.POST, **_form_kwargs(self.township, self.monday))
        if form.is_valid():
            try:
                rweek = svc.roster_week_get(township=self.township, week_start=self.monday)
                svc.stay_assign(week=rweek, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("已安排住夜。"))
                return HttpResponseRedirect(week_url(self.township.pk, self.monday))
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {
            "form": form, "township": self.township, "monday": self.monday,
            "title": _("安排住夜"), "back": week_url(self.township.pk, self.monday)}, status=status)


def _stay(request, pk) -> Stay:
    return scoped_get_or_404(request, Stay.objects.select_related(
        "cadre", "village__township", "week"), pk=pk)


class StayDetailView(RoleRequiredMixin, View):
    """One stay with the admin's actions: move, swap, pin, delete."""

    allowed_roles = EDITORS
    template_name = "residency/roster_stay_detail.html"

    def get(self, request, pk):
        stay = _stay(request, pk)
        return self._render(request, stay)

    def _render(self, request, stay, move_form=None, swap_form=None, status=200):
        monday = stay.week.week_start
        township = stay.village.township
        move_form = move_form or StayMoveForm(
            initial={"cadre": stay.cadre_id, "village": stay.village_id, "night": stay.night.isoformat()},
            **_form_kwargs(township, monday))
        swap_form = swap_form or StaySwapForm(stays=self._others(stay))
        return render(request, self.template_name, {
            "stay": stay, "move_form": move_form, "swap_form": swap_form,
            "back": week_url(township.pk, monday)}, status=status)

    @staticmethod
    def _others(stay):
        return (Stay.objects.filter(week_id=stay.week_id).exclude(cadre_id=stay.cadre_id)
                .select_related("cadre", "village").order_by("night", "village__code"))


class StayMoveView(StayDetailView):
    def post(self, request, pk):
        stay = _stay(request, pk)
        form = StayMoveForm(request.POST, **_form_kwargs(stay.village.township, stay.week.week_start))
        if form.is_valid():
            try:
                svc.stay_move(stay=stay, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("住夜已调整。"))
                return HttpResponseRedirect(week_url(stay.village.township_id, stay.week.week_start))
        return self._render(request, stay, move_form=form, status=400)


class StaySwapView(StayDetailView):
    def post(self, request, pk):
        stay = _stay(request, pk)
        form = StaySwapForm(request.POST, stays=self._others(stay))
        if form.is_valid():
            try:
                svc.stay_swap(stay=stay, other=form.cleaned_data["other"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("两晚住夜已对调。"))
                return HttpResponseRedirect(week_url(stay.village.township_id, stay.week.week_start))
        return self._render(request, stay, swap_form=form, status=400)


class StayPinView(RoleRequiredMixin, View):
    allowed_roles = EDITORS

    def post(self, request, pk):
        stay = _stay(request, pk)
        svc.stay_pin(stay=stay, pinned=not stay.pinned, by=request.user)
        messages.success(request, _("已锁定, 重新排班时保留。") if not stay.pinned else _("已解除锁定。"))
        return HttpResponseRedirect(week_url(stay.village.township_id, stay.week.week_start))


class StayDeleteView(RoleRequiredMixin, View):
    allowed_roles = EDITORS
    template_name = "residency/roster_stay_confirm_delete.html"

    def get(self, request, pk):
        stay = _stay(request, pk)
        return render(request, self.template_name, {
            "stay": stay, "back": week_url(stay.village.township_id, stay.week.week_start)})

    def post(self, request, pk):
        stay = _stay(request, pk)
        back = week_url(stay.village.township_id, stay.week.week_start)
        try:
            svc.stay_delete(stay=stay, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return render(request, self.template_name, {"stay": stay, "back": back,
                                                        "error": error_text(exc)}, status=400)
        messages.success(request, _("住夜已删除。"))
        return HttpResponseRedirect(back)


# --- The cadre ----------------------------------------------------------------------


def _cadre_of(request) -> Cadre:
    cadre = Cadre.objects.filter(user=request.user).select_related("township").first()
    if cadre is None:
        raise PermissionDenied
    return cadre


class MyNightsView(RoleRequiredMixin, TemplateView):
    """The cadre's published nights (drafts never show), tonight's check-in first."""

    allowed_roles = (Role.CADRE,)
    template_name = "residency/roster_mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cadre = _cadre_of(self.request)
        today = timezone.localdate()
        ctx.update(
            cadre=cadre, tonight=sel.tonight_stay(cadre_id=cadre.pk),
            checkin_open=svc.checkin_night() is not None,
            window=svc.window_label(),
            stays=list(sel.cadre_published_stays(cadre_id=cadre.pk, since=today - timedelta(days=7))[:60]),
            today=today,
        )
        return ctx


class CheckInView(RoleRequiredMixin, View):
    allowed_roles = (Role.CADRE,)

    def post(self, request, pk):
        cadre = _cadre_of(request)
        stay = scoped_get_or_404(request, Stay.objects.all(), pk=pk)
        try:
            svc.stay_check_in(stay=stay, cadre=cadre, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("签到成功: %(v)s, %(t)s。") % {
                "v": stay.village.name, "t": timezone.localtime().strftime("%H:%M")})
        nxt = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            nxt = reverse("residency:roster-mine")
        return redirect(nxt)
