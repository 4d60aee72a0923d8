"""Who may decide what: checked again in the services, not only in the views."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from residency.access.roles import Role, role_of
from residency.access.scoping import build_scope


def require(user, obj, *roles: Role) -> None:
    """``user`` acts in one of ``roles`` and ``obj`` is inside the user's scope."""
    role = role_of(user)
    if role not in roles:
        raise PermissionDenied("role not allowed")
    scope = build_scope(user)
    if scope.read_only or not scope.allows(obj):
        raise PermissionDenied("outside scope")
