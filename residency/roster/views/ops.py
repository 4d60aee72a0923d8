"""Spot checks, the county's workday overrides and the coverage dashboards."""
from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope, scoped_get_or_404
from residency.bounded_input import parse_id, parse_year
from residency.models import Cadre, County, RosterWeek, Township, Village, WorkdayOverride
from residency.nights.isoweek import MAX_YEAR, MIN_YEAR, format_week, monday_of
from residency.roster import dashboards as dash
from residency.roster import selectors as sel
from residency.roster import services as svc
from residency.roster.forms import SpotCheckForm, WorkdayOverrideForm
from residency.roster.views.grid import get_township
from residency.web import PaginatedListView, error_text

# --- Spot checks -----------------------------------------------------------------


class SpotCheckListView(PaginatedListView):
    allowed_roles = (Role.INSPECTOR, Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN)
    template_name = "residency/spotcheck_list.html"

    def get_queryset(self):
        return sel.spot_check_list(scope=get_scope(self.request))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_record"] = get_scope(self.request).role in (Role.INSPECTOR, Role.TOWNSHIP_ADMIN)
        return ctx


class SpotCheckCreateView(RoleRequiredMixin, View):
    allowed_roles = (Role.INSPECTOR, Role.TOWNSHIP_ADMIN)
    template_name = "residency/spotcheck_form.html"

    def _kwargs(self, request):
        scope = get_scope(request)
        villages = scope.filter(Village.objects.select_related("township")).order_by("township__code", "code")
        cadres = Cadre.objects.filter(township_id__in=sorted(scope.township_ids), active=True).order_by("name")
        return {"villages": villages, "cadres": cadres}

    def get(self, request):
        form = SpotCheckForm(initial={"at": timezone.localtime().replace(second=0, microsecond=0),
                                      "present": "1"}, **self._kwargs(request))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = SpotCheckForm(request.POST, **self._kwargs(request))
        if form.is_valid():
            try:
                svc.spot_check_record(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("暗访检查已记录。"))
                return HttpResponseRedirect(reverse("residency:spotcheck-list"))
        return render(request, self.template_name, {"form": form}, status=400)


# --- Workday overrides (organisation department) -------------------------------------


def _county_for(request) -> County:
    scope = get_scope(request)
    raw = request.GET.get("county") or request.POST.get("county")
    county_id = scope.county_id or parse_id(raw)
    if raw and not county_id:
        raise Http404
    if not county_id:
        county = scope.filter(County.objects.all()).first()
        if county is None:
            raise Http404
        return county
    return scoped_get_or_404(request, County.objects.all(), pk=county_id)


class WorkdayOverrideListView(RoleRequiredMixin, View):
    allowed_roles = (Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN)
    template_name = "residency/workday_overrides.html"

    def _year(self, request) -> int:
        year = parse_year(request.GET.get("year", ""))
        return year if year is not None else timezone.localdate().year

    def get(self, request, form=None, status=200):
        county = _county_for(request)
        year = self._year(request)
        overrides = WorkdayOverride.objects.filter(county=county, date__year=year).order_by("date")
        return render(request, self.template_name, {
            "county": county, "year": year, "overrides": overrides,
            "form": form or WorkdayOverrideForm(),
            "calendar_warning": svc.calendar_warning(years={year, year + 1}),
        }, status=status)

    def post(self, request):
        county = _county_for(request)
        form = WorkdayOverrideForm(request.POST)
        if form.is_valid():
            try:
                svc.workday_override_set(county=county, day=form.cleaned_data["date"],
                                         is_workday=form.cleaned_data["is_workday"],
                                         reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("已保存工作日调整; 已排的周请重新排班。"))
                return HttpResponseRedirect(reverse("residency:workday-list") + f"?year={form.cleaned_data['date'].year}")
        return self.get(request, form=form, status=400)


class WorkdayOverrideDeleteView(RoleRequiredMixin, View):
    allowed_roles = (Role.ORG_DEPARTMENT, Role.SYSTEM_ADMIN)
    template_name = "residency/workday_confirm_delete.html"

    def get(self, request, pk):
        override = scoped_get_or_404(request, WorkdayOverride.objects.all(), pk=pk)
        return render(request, self.template_name, {"override": override})

    def post(self, request, pk):
        override = scoped_get_or_404(request, WorkdayOverride.objects.all(), pk=pk)
        year = override.date.year
        svc.workday_override_delete(override=override, by=request.user)
        messages.success(request, _("已删除工作日调整。"))
        return HttpResponseRedirect(reverse("residency:workday-list") + f"?year={year}")


# --- Dashboards --------------------------------------------------------------------


def _month(value: str) -> tuple[date, date] | None:
    try:
        year, month = (int(x) for x in value.split("-"))
        start = date(year, month, 1)
    except (ValueError, TypeError):
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def week_dates(monday: date, first: date | None = None, last: date | None = None) -> str:
    """A week named by the dates it covers (inside [first, last] when given): 11-30–12-06."""
    a = max(monday, first) if first else monday
    b = min(monday + timedelta(days=6), last) if last else monday + timedelta(days=6)
    return f"{a:%m-%d}–{b:%m-%d}"


class TownshipDashboardView(RoleRequiredMixin, TemplateView):
    """A township's week (or month) grid, coverage share, cadres out of range, pending requests."""

    allowed_roles = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
    template_name = "residency/dashboard_township.html"

    def get(self, request, *args, **kwargs):
        if not (request.GET.get("township") or get_scope(request).township_id):
            return redirect("residency:dashboard-county")  # higher roles pick a township there
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        township_id = parse_id(self.request.GET.get("township")) or scope.township_id
        if not township_id:
            raise Http404
        township = get_township(self.request, township_id)
        today = timezone.localdate()
        monday = monday_of(today)
        month = _month(self.request.GET.get("month", ""))
        if self.request.GET.get("month") and month is None:
            messages.error(self.request, _("月份格式应为 2026-03。"))
        start, end = month or (monday, monday + timedelta(days=6))
        grid = dash.coverage_grid(township=township, start=start, end=end, published_only=True)
        ctx.update(
            township=township, grid=grid, month=month, start=start, end=end,
            week_label=format_week(monday), monday=monday,
            week_dates=week_dates(monday),
            # A week view leaves the month picker empty: a week can span two months.
            month_value=f"{start:%Y-%m}" if month else "",
            counts=[c for c in dash.cadre_week_counts(township=township, week_start=monday)
                    if c["status"] != "ok"],
            pending_leaves=list(sel.pending_leaves(scope=scope).filter(cadre__township=township)[:20]),
            pending_swaps=list(sel.pending_swaps(scope=scope).filter(stay__village__township=township)[:20]),
            is_admin=scope.role == Role.TOWNSHIP_ADMIN,
            calendar_warning=svc.calendar_warning(years={start.year, end.year}),
        )
        return ctx


class CountyDashboardView(RoleRequiredMixin, TemplateView):
    """Every township's coverage this week and this year, a weekly trend, drill-down."""

    allowed_roles = (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
    template_name = "residency/dashboard_county.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = get_scope(self.request)
        county = _county_for(self.request)
        today = timezone.localdate()
        monday = monday_of(today)
        townships = list(Township.objects.filter(county=county).order_by("code"))
        last_begun = sel.last_begun_night()
        week = dash.township_coverage(townships=townships, start=monday, end=monday + timedelta(days=6),
                                      until=last_begun)
        # "This year" starts at the county's first published week of the year (a county that
        # started using the system mid-year is not counted as uncovered before it).
        first = (RosterWeek.objects.filter(township__county=county, status=RosterWeek.Status.PUBLISHED,
                                           week_start__gte=date(today.year, 1, 1) - timedelta(days=6))
                 .order_by("week_start").values_list("week_start", flat=True).first())
        year_start = max(first or date(today.year, 1, 1), date(today.year, 1, 1))
        year = dash.township_coverage(townships=townships, start=year_start, end=today,
                                      until=last_begun)
        rows = [{"township": t, "week": week[t.pk], "year": year[t.pk]} for t in townships]
        trend: dict[date, list[int]] = {}
        for t in townships:
            for wk, share in year[t.pk]["weekly"].items():
                if share is not None:
                    acc = trend.setdefault(wk, [0, 0])
                    acc[0] += year[t.pk]["villages"]
                    acc[1] += share * year[t.pk]["villages"]
        ctx.update(
            county=county, rows=rows, monday=monday, today=today, year_start=year_start,
            counties=list(scope.filter(County.objects.all())[:200]) if scope.county_id is None else [],
            trend_labels=[week_dates(w, year_start, today) for w in sorted(trend)],
            trend_values=[round(100 * b / a, 1) if a else None for _w, (a, b) in sorted(trend.items())],
            # Only the years this page shows (this week and this year), never next year's.
            calendar_warning=svc.calendar_warning(years={monday.year, (monday + timedelta(days=6)).year}),
        )
        return ctx
