"""One HTTP call to an outside gateway, with the retry rule every channel shares.

- 5xx, or the connection refused before anything was sent: retried ``retries`` times
  with a short backoff, then ``SmsError`` (the delivery stays retryable);
- 4xx: ``PermanentError`` at once (our request is wrong: retrying cannot help);
- a timeout or a connection lost after the request went out: the exception propagates
  as it is (not an ``SmsError``), so the delivery is given up, never sent twice.

Standard library only (``urllib``)."""
from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from ..sms import PermanentError, SmsError

logger = logging.getLogger("notifications.channels")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> dict:
        try:
            return json.loads(self.body.decode("utf-8") or "{}")
        except ValueError as exc:
            raise SmsError(f"gateway answered non-JSON: {self.body[:100]!r}") from exc


def call(method: str, url: str | Callable[[], str], *, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 10.0, retries: int = 2, backoff: float = 0.5) -> Response:
    """Send one request; retry 5xx and refused connections; see the module's rule.
    ``url`` may be a function, called again for each try (a fresh signature)."""
    attempt = 0
    while True:
        attempt += 1
        target = url() if callable(url) else url
        request = urllib.request.Request(target, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
                return Response(reply.status, reply.read())
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
            if 400 <= status < 500:
                raise PermanentError(f"HTTP {status}: {payload[:200]!r}") from exc
            problem: Exception = SmsError(f"HTTP {status}: {payload[:200]!r}")
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionRefusedError):
                raise  # maybe sent (DNS is fine; a timeout or reset mid-way): not retried
            problem = SmsError(f"connection refused: {target.split('?')[0]}")
        if attempt > retries:
            raise problem
        logger.warning("%s %s: %s; retry %s of %s", method, target.split("?")[0], problem,
                       attempt, retries)
        time.sleep(backoff * attempt)
