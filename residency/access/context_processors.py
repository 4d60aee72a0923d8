from residency.access.roles import ROLE_LABELS
from residency.access.scoping import get_scope


def role(request):
    """``role`` (code) and ``role_label`` for the navigation and home page: the role of the
    request's scope (kept in the cache between requests, so a page that reads no scope of
    its own does not query the user's groups for its navigation)."""
    user = getattr(request, "user", None)
    current = get_scope(request).role if getattr(user, "is_authenticated", False) else None
    return {"role": current.value if current else "",
            "role_label": ROLE_LABELS.get(current, "") if current else ""}
