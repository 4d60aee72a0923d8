from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from residency.roles import Role
from residency.scoping import get_scope

READERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
DECIDERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)
ORG = (Role.ORG_DEPARTMENT,)


def year_param(request, value=None) -> int:
    """The year in the URL or query string, else this year (out-of-range input too)."""
    raw = value if value is not None else request.GET.get("year", "")
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def int_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


def refuse_read_only(request) -> None:
    if get_scope(request).read_only:
        raise PermissionDenied


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's ValidationError goes back on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
