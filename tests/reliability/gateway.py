"""An SMS gateway for a server or worker in ANOTHER process: one line per SMS it was asked
to send (key, phone) appended to the file ``TEST_SMS_FILE``, so the test counts them."""
from __future__ import annotations

import fcntl
import os

from notifications.sms import BaseSmsBackend


class FileGateway(BaseSmsBackend):
    def send(self, *, phone: str, text: str, key: str) -> str:
        with open(os.environ["TEST_SMS_FILE"], "a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(f"{key}\t{phone}\n")
        return f"file-{key}"
