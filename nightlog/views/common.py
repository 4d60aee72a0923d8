from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404

from residency.models import Cadre
from residency.permissions import STAFF_ROLES
from residency.roles import Role
from residency.scoping import get_scope

from ..forms import DateRangeForm

ADMIN_READERS = STAFF_ROLES  # system admin, province viewer, org department, township admin
LOG_READERS = (*STAFF_ROLES, Role.CADRE)
WRITERS = (Role.CADRE,)


def current_cadre(request) -> Cadre:
    scope = get_scope(request)
    if not scope.cadre_id:
        raise Http404
    return Cadre.objects.select_related("user", "township").get(pk=scope.cadre_id)


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's ValidationError goes back on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def errors_to_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


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
