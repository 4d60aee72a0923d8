"""The only thing tests replace: the SMS gateway. Records what it was asked to send."""
from __future__ import annotations

import os
import threading
import time

from celery.exceptions import SoftTimeLimitExceeded

from notifications.sms import BaseSmsBackend, SmsError

SENT: list[dict] = []
# Pop one per send: "refuse" raises SmsError (nothing sent); "die_after_send" sends, then
# the task is stopped before it can record that (as a time limit or a kill would).
FAIL_NEXT: list[str] = []
_lock = threading.Lock()


class RecordingGateway(BaseSmsBackend):
    def send(self, *, phone: str, text: str, key: str) -> str:
        with _lock:
            mode = FAIL_NEXT.pop(0) if FAIL_NEXT else ""
            if mode == "refuse":
                raise SmsError("gateway refused (test)")
            SENT.append({"phone": phone, "text": text, "key": key})
            if mode == "die_after_send":
                raise SoftTimeLimitExceeded()
            return f"gw-{len(SENT)}"


def reset() -> None:
    with _lock:
        SENT.clear()
        FAIL_NEXT.clear()


class HangingGateway(BaseSmsBackend):
    """For a worker in ANOTHER process (killed by the test): records the send in the Redis
    list ``TEST_GATEWAY_REDIS_KEY`` on ``REDIS_URL``, then hangs until the process is
    killed, as a machine dying right after the gateway accepted the SMS."""

    def send(self, *, phone: str, text: str, key: str) -> str:
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        client.rpush(os.environ["TEST_GATEWAY_REDIS_KEY"], phone)
        time.sleep(120)
        return "never-recorded"
