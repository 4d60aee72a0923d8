"""A database outage answers a Chinese 503 with ``Retry-After``, not a 500.

While PostgreSQL is down or restarting, every query raises ``OperationalError`` (or
``InterfaceError`` on a connection the server closed). ``DatabaseOutageMiddleware`` turns
one raised by a view into the 503 page; ``server_error`` (``handler500`` in
``tongxiang/urls.py``) does the same for one raised in another middleware (loading the
session, the audit context) and is Django's plain 500 page for everything else;
``bad_request`` (``handler400``) for the database failing while the session is saved
after the view, which Django reports as "session deleted" (400). The page is
rendered without a request context: context processors would query the database again.

Connections recover by themselves: ``CONN_HEALTH_CHECKS`` (settings) tests a persistent
connection before a request reuses it, so the first request after the restart reconnects
instead of failing; a failed connection is discarded at the end of its request.
docs/RELIABILITY.md has the measured figures."""
from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("residency.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def caused_by_outage(exception: BaseException | None) -> bool:
    """Whether an outage error is the exception or anywhere in its chain."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OUTAGE_ERRORS):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def outage_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            logger.error("database unavailable during %s %s: %s", request.method,
                         request.path, exception)
            return outage_response()
        return None


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """``handler500``: a database outage raised outside a view is a 503 as well."""
    if caused_by_outage(sys.exc_info()[1]):
        return outage_response()
    return HttpResponseServerError(loader.get_template(template_name).render())


@requires_csrf_token
def bad_request(request, exception, template_name: str = defaults.ERROR_400_TEMPLATE_NAME):
    """``handler400``: the session could not be saved because the database went away
    (``SessionInterrupted`` raised from the ``OperationalError``) is an outage, not a bad
    request; anything else is Django's 400 with templates/400.html."""
    if caused_by_outage(exception):
        return outage_response()
    return defaults.bad_request(request, exception, template_name)
