"""The roster on a phone: one night with every village (uncovered first) and one village
with its week. Both read the same grid as the week page (``coverage_grid``, six queries);
each gap says why in a few words (``Cell.gap_short``) and in full."""
from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.access.scoping import get_scope
from residency.nights.isoweek import format_week
from residency.roster import dashboards as dash
from residency.roster.views.grid import VIEWERS, get_monday, get_township

STATE_ORDER = {"gap": 0, "missed": 1, "planned": 2, "checked_in": 3, "holiday": 4}


def night_url(township_id: int, monday: date, night: date) -> str:
    return reverse("residency:roster-night", args=[township_id, format_week(monday),
                                                   night.isoformat()])


class _PhoneView(RoleRequiredMixin, TemplateView):
    allowed_roles = VIEWERS

    def week_context(self, kwargs):
        township = get_township(self.request, kwargs["township"])
        monday = get_monday(kwargs["week"])
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6))
        return {
            "township": township, "monday": monday, "grid": grid, "week": grid.weeks.get(monday),
            "week_label": format_week(monday), "today": timezone.localdate(),
            "can_edit": get_scope(self.request).role == Role.TOWNSHIP_ADMIN,
            "days": list(zip(grid.days, grid.workdays, strict=True)),
        }


class RosterNightView(_PhoneView):
    """One night, every village of the township, the uncovered ones first."""

    template_name = "residency/roster_night.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.week_context(kwargs))
        try:
            night = date.fromisoformat(kwargs["night"])
        except ValueError as exc:
            raise Http404 from exc
        if night not in ctx["grid"].days:
            raise Http404
        index = ctx["grid"].days.index(night)
        rows = [(village, cells[index]) for village, cells in ctx["grid"].rows]
        rows.sort(key=lambda row: (STATE_ORDER.get(row[1].state, 9), row[0].code))
        ctx.update(night=night, workday=ctx["grid"].workdays[index], rows=rows,
                   uncovered=sum(cell.state == "gap" for _v, cell in rows),
                   here=night_url(ctx["township"].pk, ctx["monday"], night))
        return ctx


class RosterVillageView(_PhoneView):
    """One village, its week, a night a line."""

    template_name = "residency/roster_village.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.week_context(kwargs))
        row = next(((v, cells) for v, cells in ctx["grid"].rows if v.pk == kwargs["village"]), None)
        if row is None:
            raise Http404
        village, cells = row
        ctx.update(village=village, cells=cells, villages=[v for v, _c in ctx["grid"].rows],
                   prev_week=format_week(ctx["monday"] - timedelta(days=7)),
                   next_week=format_week(ctx["monday"] + timedelta(days=7)),
                   here=reverse("residency:roster-village",
                                args=[ctx["township"].pk, ctx["week_label"], village.pk]))
        return ctx


__all__ = ["RosterNightView", "RosterVillageView", "night_url"]
