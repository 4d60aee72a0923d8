from django import template

from ..selectors import UNREAD_CAP, cached_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The request user's unread count: one cache read per request (kept on the request;
    ``selectors.cached_unread_count``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_unread_notifications", None)
    if cached is None:
        cached = cached_unread_count(user=user)
        request._unread_notifications = cached
    return cached


@register.filter
def badge(count: int) -> str:
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)
