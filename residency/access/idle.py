"""The 30-minute idle logout without a session write on every page.

``SESSION_SAVE_EVERY_REQUEST`` pushed the expiry forward by writing the session row on every
request. Instead, this middleware (after ``SessionMiddleware``) marks a non-empty session as
modified at most once every ``SESSION_IDLE_TOUCH_SECONDS`` (60 s): Django then saves it and
its expiry moves to ``SESSION_COOKIE_AGE`` (30 minutes) from that write. A user who stops
clicking is therefore logged out 29 to 30 minutes after the last request (the last write is
at most a minute before it), never later than 30 minutes.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

TOUCHED_KEY = "_idle_touched"


@receiver(user_logged_in, dispatch_uid="idle_session_login")
def start_idle_clock(sender, request, user, **kwargs):
    """Logging in writes the session anyway: the first page after it need not."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED_KEY] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        touched = session.get(TOUCHED_KEY)
        interval = getattr(settings, "SESSION_IDLE_TOUCH_SECONDS", 60)
        if not isinstance(touched, int) or now - touched >= interval or touched > now:
            session[TOUCHED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
