"""Which county an audit row belongs to, decided once when the row is written, so that the
organisation department reads every row of its county: its users', the village cadres',
inspectors' and viewers', and anonymous ones (a failed login by a name or phone of the
county's accounts).

In order: the county of the acting user's scope when it is one county (computed once per
request); else the county of the object the row is about (its ``scope_paths["county"]``, or
a user's own county); else the county of the account named by the typed login name. None when
nothing names a county (a province viewer's login, a login name that matches no account):
those rows are for the system administrator."""
from __future__ import annotations

from typing import Any


def _user_county_id(user, request=None) -> int | None:
    from residency.access.scoping import build_scope, get_scope

    if user is None or not getattr(user, "pk", None):
        return None
    if request is not None and getattr(request, "user", None) == user:
        scope = get_scope(request)
    else:
        scope = build_scope(user)
    return scope.county_id


def _object_county_id(obj: Any) -> int | None:
    from django.contrib.auth import get_user_model

    if obj is None or getattr(obj, "pk", None) is None:
        return None
    if isinstance(obj, get_user_model()):
        return _user_county_id(obj)
    path = (getattr(type(obj), "scope_paths", None) or {}).get("county")
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    return (type(obj)._base_manager.filter(pk=obj.pk).values_list(path, flat=True).first())


def audit_county_id(*, request=None, user=None, obj: Any = None, username: str = "") -> int | None:
    county_id = _user_county_id(user, request)
    if county_id is None:
        county_id = _object_county_id(obj)
    if county_id is None and user is None and username:
        from residency.access.auth import account_for

        county_id = _user_county_id(account_for(username))
    return county_id
