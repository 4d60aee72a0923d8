"""Run one function in several threads at once (as several workers would), each with its
own database connection; return the exceptions they raised (a test asserts there are none:
an exception in a thread would otherwise only be printed)."""
from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_concurrently(fn: Callable[[], object], times: int, *, timeout: float = 30) -> list:
    start = threading.Barrier(times)
    errors: list[BaseException] = []

    def run():
        try:
            start.wait(timeout=10)
            fn()
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    stuck = [t for t in threads if t.is_alive()]
    if stuck:
        errors.append(TimeoutError(f"{len(stuck)} thread(s) still running after {timeout} s"))
    return errors
