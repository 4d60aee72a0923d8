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

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import check_roster_week
from residency.models import Cadre, RosterWeek, Stay, Township, Village
from residency.nights.isoweek import BadWeek, format_week, monday_of, parse_week
from residency.roster import dashboards as dash
from residency.roster import selectors as sel
from residency.roster import services as svc
from residency.roster.forms import StayAssignForm, StayMoveForm, StaySwapForm
from residency.roster.services.calendar import WeekCalendar
from residency.web import error_text

VIEWERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
EDITORS = (Role.TOWNSHIP_ADMIN,)


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
            # The per-night view opens on today's night when it is in this week.
            night_default=timezone.localdate() if monday <= timezone.localdate() <= monday + timedelta(days=6)
            else monday,
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
        for c in summary.crowded:
            messages.warning(request, _("超出床位: %(reason)s") % {"reason": c["reason"]})


class RosterPublishView(_WeekAction):
    def act(self, request, township, monday):
        week = RosterWeek.objects.filter(township=township, week_start=monday).first()
        if week is None:
            raise ValidationError(_("本周还没有任何住夜安排, 请先排班。"))
        svc.roster_publish(week=week, by=request.user)
        messages.success(request, _("本周排班已发布, 干部现在可以看到自己的住夜。"))


def _form_kwargs(township: Township, monday):
    """Cadres and villages of the township, and the week's workday nights only (a stay is
    never put on a Saturday, a Sunday or a holiday)."""
    calendar = WeekCalendar(county_id=township.county_id, start=monday,
                                end=monday + timedelta(days=6))
    return {"cadres": Cadre.objects.filter(township=township, active=True).order_by("name"),
            "villages": Village.objects.filter(township=township).order_by("code"),
            "week_start": monday, "nights": calendar.workday_nights(monday)}


def back_url(request, default: str) -> str:
    """Where to return after an edit: ``next`` (the per-night or per-village view the admin
    came from) when it is a path of this site, else ``default`` (the week)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return default


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
                return HttpResponseRedirect(back_url(request, week_url(self.township.pk, self.monday)))
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {
            "form": form, "township": self.township, "monday": self.monday,
            "title": _("安排住夜"), "back": back_url(request, week_url(self.township.pk, self.monday)),
            "next": back_url(request, "")}, status=status)


def _stay(request, pk) -> Stay:
    return scoped_get_or_404(request, Stay.objects.select_related(
        "cadre", "village__township", "week", "presence_by"), pk=pk)


class StayDetailView(RoleRequiredMixin, View):
    """One stay with the admin's actions: move, swap, pin, delete."""

    allowed_roles = EDITORS
    template_name = "residency/roster_stay_detail.html"

    def get(self, request, pk):
        stay = _stay(request, pk)
        return self._render(request, stay)

    def _render(self, request, stay, move_form=None, swap_form=None, status=200,
                presence_form=None):
        from residency.roster.forms_presence import PresenceCorrectionForm

        monday = stay.week.week_start
        township = stay.village.township
        move_form = move_form or StayMoveForm(
            initial={"cadre": stay.cadre_id, "village": stay.village_id, "night": stay.night.isoformat()},
            **_form_kwargs(township, monday))
        swap_form = swap_form or StaySwapForm(stays=self._others(stay))
        presence_form = presence_form or PresenceCorrectionForm(
            initial={"presence": stay.presence or None})
        return render(request, self.template_name, {
            "stay": stay, "move_form": move_form, "swap_form": swap_form,
            "presence_form": presence_form, "far_radius_m": svc.far_radius_m(),
            "can_correct": stay.week.status == RosterWeek.Status.PUBLISHED
            and stay.night <= timezone.localdate(),
            "back": back_url(request, week_url(township.pk, monday)),
            "next": back_url(request, "")}, status=status)

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
                # A refused move is a message on the page (the form keeps the choice), not
                # an error status: the admin reads why and picks another night or cadre.
                messages.error(request, _("未能调整: %(why)s") % {"why": error_text(exc)})
                return self._render(request, stay, move_form=form)
            else:
                messages.success(request, _("住夜已调整。"))
                return HttpResponseRedirect(back_url(
                    request, week_url(stay.village.township_id, stay.week.week_start)))
        messages.error(request, _("请检查所选的干部、村(社区)和夜晚。"))
        return self._render(request, stay, move_form=form)


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
                return HttpResponseRedirect(back_url(
                    request, week_url(stay.village.township_id, stay.week.week_start)))
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
            window=svc.window_label(), opens_at=svc.opens_later_today(),
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
            stay = svc.stay_check_in(stay=stay, cadre=cadre, by=request.user,
                                     position=svc.parse_position(request.POST))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("签到成功: %(v)s, %(t)s。") % {
                "v": stay.village.name, "t": timezone.localtime().strftime("%H:%M")})
            if stay.checkin_far:
                messages.warning(request, _("签到位置距村部约 %(d)s 米, 已标记为远离村部签到, "
                                            "镇(街道)管理员可以看到。") % {"d": stay.checkin_distance_m})
            elif stay.checkin_position_status != "ok":
                messages.info(request, _("本次签到没有定位 (%(s)s), 已如实记录。") % {
                    "s": stay.get_checkin_position_status_display()})
        nxt = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            nxt = reverse("residency:roster-mine")
        return redirect(nxt)
