"""Template helpers for the roster pages and the roster cards on each role's home page
(the home view belongs to the directory; the cards fetch their own data here)."""
from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def zip_workdays(days, flags):
    return list(zip(days, flags, strict=True))


@register.filter
def pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"


@register.simple_tag(takes_context=True)
def roster_home(context):
    """The data of the roster card for the request user's role (a few queries)."""
    from residency import roster_dashboards as dash
    from residency import roster_selectors as sel
    from residency.isoweek import format_week, monday_of
    from residency.roles import Role
    from residency.scoping import get_scope
    from residency.services_roster import checkin_night, opens_later_today, window_label

    request = context["request"]
    scope = get_scope(request)
    today = timezone.localdate()
    monday = monday_of(today)
    data = {"today": today, "week_label": format_week(monday), "monday": monday}
    if scope.role == Role.CADRE and scope.cadre_id:
        data.update(
            tonight=sel.tonight_stay(cadre_id=scope.cadre_id),
            checkin_open=checkin_night() is not None, window=window_label(),
            opens_at=opens_later_today(),
            upcoming=list(sel.cadre_published_stays(cadre_id=scope.cadre_id, since=today)[:4]))
    elif scope.role == Role.TOWNSHIP_ADMIN and scope.township_id:
        from residency.models import Township

        township = Township.objects.get(pk=scope.township_id)
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6),
                                  published_only=True)
        data.update(township=township, grid=grid, week=grid.weeks.get(monday),
                    next_week_label=format_week(monday + timedelta(days=7)),
                    pending_leaves=sel.pending_leaves(scope=scope).count(),
                    pending_swaps=sel.pending_swaps(scope=scope).count())
    elif scope.role in (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN):
        from residency.models import Township

        townships = list(scope.filter(Township.objects.all()).order_by("county__code", "code")[:300])
        cov = dash.township_coverage(townships=townships, start=monday, end=monday + timedelta(days=6))
        total = sum(c["total"] for c in cov.values())
        covered = sum(c["covered"] for c in cov.values())
        data.update(townships=len(townships), share=(covered / total) if total else None,
                    below=sorted((c for c in cov.values() if c["share"] is not None and c["share"] < 1),
                                 key=lambda c: c["share"])[:5])
    elif scope.role == Role.INSPECTOR:
        from residency.models import SpotCheck

        data.update(recent=list(scope.filter(SpotCheck.objects.select_related(
            "village", "expected_cadre")).order_by("-at")[:5]))
    return data
