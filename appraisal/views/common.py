from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from residency.access.roles import Role
from residency.access.scoping import get_scope
from residency.bounded_input import MAX_ID, parse_id, parse_year  # noqa: F401 (re-exported)

READERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT, Role.PROVINCE_VIEWER, Role.SYSTEM_ADMIN)
DECIDERS = (Role.TOWNSHIP_ADMIN, Role.ORG_DEPARTMENT)
ORG = (Role.ORG_DEPARTMENT,)


def year_param(request, value=None) -> int:
    """The year in the URL or query string, else this year (out-of-range input too)."""
    raw = value if value is not None else request.GET.get("year", "")
    year = parse_year(raw)
    return year if year is not None else timezone.localdate().year




def int_param(request, name: str) -> int | None:
    return parse_id(request.GET.get(name))


def refuse_read_only(request) -> None:
    if get_scope(request).read_only:
        raise PermissionDenied


def county_scope(request):
    """A province-wide scope narrowed to one county (``?county=``, default the first), for
    pages that compute every cadre's row; other scopes are returned unchanged.
    Returns (scope, counties to choose from or [], the chosen county id or None)."""
    from dataclasses import replace

    from residency.access.scoping import ALL, COUNTY
    from residency.models import County

    scope = get_scope(request)
    if scope.level != ALL:
        return scope, [], None
    counties = list(County.objects.order_by("code").values_list("pk", "name"))
    wanted = int_param(request, "county")
    ids = [pk for pk, _name in counties]
    county_id = wanted if wanted in ids else (ids[0] if ids else None)
    if county_id is None:
        return scope, [], None
    return replace(scope, level=COUNTY, county_ids=frozenset({county_id})), counties, county_id
