"""The shared cache (Redis), used only where a miss is harmless: every call here falls back
(a read misses, a write is skipped) when the cache cannot be reached, so pages and sweeps
keep working with Redis stopped (docs/RELIABILITY.md). What is kept through it (scopes,
the unread badge, the county statistics) expires by itself, which bounds how long an
entry that could not be forgotten during an outage may outlive its facts."""
from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def _failed(what: str, exc: Exception) -> None:
    log.warning("cache %s failed (%s): carrying on without it", what, exc.__class__.__name__)


def get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception as exc:  # noqa: BLE001  (any backend error: a miss)
        _failed("get", exc)
        return default


def get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception as exc:  # noqa: BLE001
        _failed("get_many", exc)
        return {}


def set(key: str, value, timeout: int | None) -> None:  # noqa: A001  (the cache's own name)
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        _failed("set", exc)


def add(key: str, value, timeout: int | None) -> bool:
    try:
        return cache.add(key, value, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        _failed("add", exc)
        return False


def delete_many(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception as exc:  # noqa: BLE001
        _failed("delete_many", exc)


# --- Built on the above: versions and forgetting, for every cache kept through here -------

_UNREAD = object()


def version(key: str, found=_UNREAD):
    """The current value of the version ``key`` (``found``: the value already read with
    other keys in one round trip). On first use, or after eviction, a value never used
    before, so no entry stored under an older version comes back. None when the cache is
    down: then nothing may be kept."""
    value = get(key) if found is _UNREAD else found
    if value is None:
        add(key, time.time_ns(), timeout=None)
        value = get(key)
    return value


def new_version(key: str) -> None:
    """Every entry stored under the current version of ``key`` is stale: at once, and again
    when the transaction commits (a reader in between may have stored what was still
    committed under the new version)."""
    set(key, time.time_ns(), timeout=None)
    transaction.on_commit(lambda: set(key, time.time_ns(), timeout=None))


def forget(keys: list[str]) -> None:
    """Delete ``keys`` at once, and again when the transaction commits (same reason)."""
    if keys:
        delete_many(keys)
        transaction.on_commit(lambda: delete_many(keys))
