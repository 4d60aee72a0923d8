"""A small fixed-window rate limit on the Django cache, for the public ballot page.

Counted per client address. With several web processes, configure a shared cache
(Redis) so that the windows are shared too."""
from __future__ import annotations

from django.core.cache import cache

from residency.audit import client_ip


def hit(request, bucket: str, *, limit: int, window: int) -> bool:
    """Count one event; True while the client stays within ``limit`` per ``window`` s."""
    key = f"rl:{bucket}:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def exceeded(request, bucket: str, *, limit: int) -> bool:
    """Whether the client is already over ``limit`` (without counting)."""
    key = f"rl:{bucket}:{client_ip(request) or 'unknown'}"
    return (cache.get(key) or 0) >= limit
