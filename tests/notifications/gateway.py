"""The only thing tests replace: the SMS gateway. Records what it was asked to send."""
from __future__ import annotations

import threading

from notifications.sms import BaseSmsBackend, SmsError

SENT: list[dict] = []
FAIL_NEXT: list[str] = []  # pop one per send: "refuse" raises SmsError
_lock = threading.Lock()


class RecordingGateway(BaseSmsBackend):
    def send(self, *, phone: str, text: str, key: str) -> str:
        with _lock:
            if FAIL_NEXT:
                FAIL_NEXT.pop(0)
                raise SmsError("gateway refused (test)")
            SENT.append({"phone": phone, "text": text, "key": key})
            return f"gw-{len(SENT)}"


def reset() -> None:
    with _lock:
        SENT.clear()
        FAIL_NEXT.clear()
