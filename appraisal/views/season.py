"""The meeting season: villages that have not held this year's 述职评议大会."""
from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from residency.access.permissions import RoleRequiredMixin

from .. import selectors
from .common import READERS, county_scope, year_param

SEASON_LIMIT = 500  # rows shown; the count above the table is always the full number


class MeetingSeasonView(RoleRequiredMixin, View):
    """Villages without a review meeting held this year, with their cadres and the
    township admins who organise it (to remind)."""

    allowed_roles = READERS
    template_name = "appraisal/meeting_season.html"

    def get(self, request):
        year = year_param(request)
        scope, counties, county_id = county_scope(request)
        rows = selectors.villages_without_meeting(year=year, today=timezone.localdate(),
                                                  scope=scope)
        return render(request, self.template_name, {
            "year": year, "rows": rows[:SEASON_LIMIT], "count": len(rows),
            "more": len(rows) > SEASON_LIMIT, "counties": counties, "county_id": county_id})
