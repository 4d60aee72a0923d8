"""Role checks for views. Scoping of objects lives in ``scoping``."""
from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from residency.access.roles import Role, role_of


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a role not in ``allowed_roles`` gets 403."""

    allowed_roles: Iterable[Role] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if role_of(request.user) not in set(self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


ALL_ROLES = tuple(Role)
STAFF_ROLES = (Role.SYSTEM_ADMIN, Role.PROVINCE_VIEWER, Role.ORG_DEPARTMENT,
               Role.TOWNSHIP_ADMIN)
DIRECTORY_EDITORS = (Role.SYSTEM_ADMIN, Role.ORG_DEPARTMENT, Role.TOWNSHIP_ADMIN)
