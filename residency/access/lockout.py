"""Login lockout (django-axes), counted per account whatever name is typed, and per address.

- ``lockout_username`` (``AXES_USERNAME_CALLABLE``) turns the typed name, a username or a
  phone, into the account's username, so every alias of an account shares one counter and one
  lock: failures by phone and by username add up, a lock earned by one alias holds for the
  others, and a success (which resets only that account's counter) cannot happen while the
  account is locked. A name that matches no account is counted as typed.
- ``AccountAndAddressHandler`` (``AXES_HANDLER``) locks an account from a client address after
  ``AXES_FAILURE_LIMIT`` failures (``AXES_LOCKOUT_PARAMETERS``: account and address, so that
  nobody elsewhere can lock the owner out), and locks the address itself for every account
  after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures across accounts (password spraying). A
  success clears only its own account's failures, never the address's count of the others.
The client address is ``residency.access.client_ip`` (``AXES_CLIENT_IP_CALLABLE``).
"""
from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from residency.access.auth import account_for


def lockout_username(request, credentials=None) -> str:
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    typed = str(typed or "").strip()[:150]
    if not typed:
        return typed
    cache = getattr(request, "_lockout_accounts", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._lockout_accounts = cache
    if typed not in cache:
        user = account_for(typed)
        cache[typed] = user.get_username() if user is not None else typed
    return cache[typed]


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        from_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if from_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, limit)
        return failures
