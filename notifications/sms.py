"""SMS: a small backend interface chosen in settings.

``NOTIFICATIONS_SMS_BACKEND`` is the dotted path of a class with ``send``. A real gateway
is a new class (anywhere on the path) named in that setting; nothing else changes.

``send(phone=..., text=..., key=...)`` sends one message and returns the gateway's message
id, or raises ``SmsError`` when the gateway refused (nothing was sent: it will be
retried). ``key`` is unique per delivery; a gateway that de-duplicates on it (e.g. an
"out id") sets ``idempotent = True``, which lets a delivery whose outcome is unknown (the
worker died mid-send) be retried; otherwise such a delivery is never resent."""
from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class SmsError(Exception):
    """The gateway refused the message; it was not sent (retried later)."""


class PermanentError(SmsError):
    """The gateway refused the request as wrong (HTTP 4xx, an unknown number or user):
    not sent, and retrying cannot help, so it is never retried."""


class BaseSmsBackend:
    idempotent = False

    def send(self, *, phone: str, text: str, key: str) -> str:  # pragma: no cover
        raise NotImplementedError


class LoggingBackend(BaseSmsBackend):
    """The default: writes the message to the log instead of sending it."""

    def send(self, *, phone: str, text: str, key: str) -> str:
        logger.info("SMS to %s [%s]: %s", phone, key, text)
        return f"log-{key}"


@lru_cache(maxsize=4)
def _backend_class(path: str):
    return import_string(path)


def backend_class() -> type[BaseSmsBackend]:
    path = getattr(settings, "NOTIFICATIONS_SMS_BACKEND", "notifications.sms.LoggingBackend")
    return _backend_class(path)


def get_backend() -> BaseSmsBackend:
    return backend_class()()
