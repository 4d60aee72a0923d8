"""A small fixed-window rate limit on the Django cache, for the public ballot page.

Counted per client address (``residency.access.client_ip``: the real client behind a trusted
proxy). With several web processes, configure a shared cache
(Redis) so that the windows are shared too. If the cache is unreachable (Redis down) the
limit fails open and logs: ballot codes are single-use and unguessable, so the limit is a
second line of defence and must not turn an outage into a 500 for voters."""
from __future__ import annotations

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from residency.access.client_ip import client_ip

logger = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)


def hit(request, bucket: str, *, limit: int, window: int) -> bool:
    """Count one event; True while the client stays within ``limit`` per ``window`` s."""
    key = f"rl:{bucket}:{client_ip(request) or 'unknown'}"
    try:
        if cache.add(key, 1, timeout=window):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            return True
    except CACHE_ERRORS:
        logger.warning("rate limit %s: cache unavailable, not limiting", bucket, exc_info=True)
        return True
    return count <= limit


def exceeded(request, bucket: str, *, limit: int) -> bool:
    """Whether the client is already over ``limit`` (without counting)."""
    key = f"rl:{bucket}:{client_ip(request) or 'unknown'}"
    try:
        return (cache.get(key) or 0) >= limit
    except CACHE_ERRORS:
        logger.warning("rate limit %s: cache unavailable, not limiting", bucket, exc_info=True)
        return False
