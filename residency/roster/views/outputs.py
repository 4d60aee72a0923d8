"""Outputs: the printable roster per village, the xlsx of a township's week and the
cadre's private iCalendar feed (secret token URL, no login, revocable)."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from residency import audit
from residency.access.permissions import RoleRequiredMixin
from residency.access.roles import Role
from residency.models import CalendarFeed
from residency.nights.isoweek import format_week
from residency.roster import dashboards as dash
from residency.roster import services as svc
from residency.roster.outputs import cadre_ics, week_xlsx
from residency.roster.views.grid import VIEWERS, _cadre_of, get_monday, get_township


class RosterPrintView(RoleRequiredMixin, TemplateView):
    """One page per village (or ?village=ID) to post at the village office."""

    allowed_roles = VIEWERS
    template_name = "residency/roster_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        township = get_township(self.request, kwargs["township"])
        monday = get_monday(kwargs["week"])
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6),
                                  published_only=True)
        village = self.request.GET.get("village", "")
        rows = [r for r in grid.rows if not village or str(r[0].pk) == village]
        if village and not rows:
            raise Http404
        ctx.update(township=township, monday=monday, grid=grid, rows=rows,
                   week_label=format_week(monday), week=grid.weeks.get(monday))
        return ctx


class RosterXlsxView(RoleRequiredMixin, View):
    allowed_roles = VIEWERS

    def get(self, request, township, week):
        township = get_township(request, township)
        monday = get_monday(week)
        grid = dash.coverage_grid(township=township, start=monday, end=monday + timedelta(days=6))
        label = format_week(monday)
        data = week_xlsx(grid, title=_("%(t)s 住夜排班 %(w)s") % {"t": township.name, "w": label})
        audit.record("roster_export_xlsx", obj=township, week=label)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="roster-{township.code}-{label}.xlsx"'
        return response


class CalendarFeedView(RoleRequiredMixin, View):
    """The cadre's subscription link; POST replaces the token (revokes the old link)."""

    allowed_roles = (Role.CADRE,)
    template_name = "residency/roster_calendar.html"

    def get(self, request):
        cadre = _cadre_of(request)
        feed = svc.calendar_feed_get_or_create(cadre=cadre)
        url = request.build_absolute_uri(reverse("residency:roster-ics", args=[feed.token]))
        return render(request, self.template_name, {"feed": feed, "url": url})

    def post(self, request):
        svc.calendar_feed_revoke(cadre=_cadre_of(request))
        messages.success(request, _("已生成新的订阅链接, 旧链接已失效。"))
        return HttpResponseRedirect(reverse("residency:roster-calendar"))


def roster_ics(request, token: str):
    """The iCalendar feed: no login, the unguessable token is the key."""
    feed = CalendarFeed.objects.select_related("cadre").filter(token=token).first()
    if feed is None or len(token) < 32 or not feed.cadre.active:
        raise Http404
    body = cadre_ics(cadre=feed.cadre, since=timezone.localdate() - timedelta(days=60),
                     host=request.get_host().split(":")[0] or "tongxiang")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
