from residency.access.roles import ROLE_LABELS, role_of


def role(request):
    """``role`` (code) and ``role_label`` for the navigation and home page."""
    current = role_of(getattr(request, "user", None))
    return {"role": current.value if current else "",
            "role_label": ROLE_LABELS.get(current, "") if current else ""}
