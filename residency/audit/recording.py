"""Writing the append-only audit log: who, when, IP, what, which object, success."""
from __future__ import annotations

import contextvars
from typing import Any

from residency.access.client_ip import client_ip
from residency.audit.county import audit_county_id

_request_var: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


def set_current_request(request):
    return _request_var.set(request)


def reset_current_request(token) -> None:
    _request_var.reset(token)


def record(action: str, *, obj: Any = None, request=None, user=None, success: bool = True,
           username: str = "", object_type: str = "", object_id: str = "", **detail):
    """Append one audit row. ``request`` defaults to the request being served."""
    from residency.models import AuditLog

    request = request or _request_var.get()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    user = user if (user is not None and user.pk) else None
    return AuditLog.objects.create(
        user=user,
        county_id=audit_county_id(request=request, user=user, obj=obj, username=username),
        username=username or (user.get_username() if user is not None else ""),
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        success=success,
        detail=detail,
    )
