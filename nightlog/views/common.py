from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404

from residency.access.permissions import STAFF_ROLES
from residency.access.roles import Role
from residency.access.scoping import get_scope
from residency.models import Cadre

from ..forms import DateRangeForm

ADMIN_READERS = STAFF_ROLES  # system admin, province viewer, org department, township admin
LOG_READERS = (*STAFF_ROLES, Role.CADRE)
WRITERS = (Role.CADRE,)


def current_cadre(request) -> Cadre:
    scope = get_scope(request)
    if not scope.cadre_id:
        raise Http404
    # Building the scope cached the cadre (with its user and township) on the user.
    cadre = Cadre.user.field.remote_field.get_cached_value(request.user, default=None)
    if cadre is not None and cadre.pk == scope.cadre_id:
        return cadre
    return Cadre.objects.select_related("user", "township").get(pk=scope.cadre_id)


def date_range(request, default_from: date, default_to: date):
    """Bind the from/to filter; bad input falls back to the defaults with the form's
    Chinese errors shown."""
    form = DateRangeForm(request.GET or None)
    since, until = default_from, default_to
    if form.is_bound and form.is_valid():
        since = form.cleaned_data.get("date_from") or default_from
        until = form.cleaned_data.get("date_to") or default_to
        if until < since:
            since, until = until, since
    elif not form.is_bound:
        form = DateRangeForm(initial={"date_from": default_from, "date_to": default_to})
    return form, since, until


def days_back(today: date, days: int) -> date:
    return today - timedelta(days=days)
