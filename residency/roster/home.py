"""The roster card of each role's home page: what it shows, read in a few queries."""
from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from residency.access.roles import Role
from residency.access.scoping import Scope
from residency.models import SpotCheck, Township
from residency.nights.isoweek import format_week, monday_of
from residency.roster import dashboards as dash
from residency.roster import selectors as sel
from residency.roster.services import checkin_night, opens_later_today, window_label


def home_card(*, scope: Scope, today: date | None = None) -> dict:
    """The data of the roster card for ``scope``'s role."""
    today = today or timezone.localdate()
    monday = monday_of(today)
    data = {"today": today, "week_label": format_week(monday), "monday": monday}
    if scope.role == Role.CADRE and scope.cadre_id:
        data.update(
            tonight=sel.tonight_stay(cadre_id=scope.cadre_id),
            checkin_open=checkin_night() is not None, window=window_label(),
            opens_at=opens_later_today(),
            upcoming=list(sel.cadre_published_stays(cadre_id=scope.cadre_id, since=today)[:4]))
    elif scope.role == Role.TOWNSHIP_ADMIN and scope.township_id:
        township = Township.objects.get(pk=scope.township_id)
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6),
                                  published_only=True)
        data.update(township=township, grid=grid, week=grid.weeks.get(monday),
                    next_week_label=format_week(monday + timedelta(days=7)),
                    pending_leaves=sel.pending_leaves(scope=scope).count(),
                    pending_swaps=sel.pending_swaps(scope=scope).count())
    elif scope.role in (Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN):
        townships = list(scope.filter(Township.objects.all()).order_by("county__code", "code")[:300])
        cov = dash.township_coverage(townships=townships, start=monday, end=monday + timedelta(days=6))
        total = sum(c["total"] for c in cov.values())
        covered = sum(c["covered"] for c in cov.values())
        data.update(townships=len(townships), share=(covered / total) if total else None,
                    below=sorted((c for c in cov.values() if c["share"] is not None and c["share"] < 1),
                                 key=lambda c: c["share"])[:5])
    elif scope.role == Role.INSPECTOR:
        data.update(recent=list(scope.filter(SpotCheck.objects.select_related(
            "village", "expected_cadre")).order_by("-at")[:5]))
    return data
