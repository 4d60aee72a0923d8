"""With the cache unreachable, what is kept through ``residency.soft_cache`` falls back: the
scope is built, the badge counted, the statistics computed, and forgetting does not raise."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse

from appraisal.selectors.stats import cached_county_statistics
from notifications.selectors import cached_unread_count, forget_unread
from residency.access import scope_cache
from residency.access.scoping import build_scope, get_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    # Django's setting_changed handler gives ``caches`` new connections both ways.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    with pytest.raises(Exception):  # noqa: B017,PT011  (the cache itself is really down)
        caches["default"].get("x")
    yield


def test_everything_kept_in_the_cache_works_without_it(redis_down, people, client):
    user = people["cadre"].user
    assert get_scope(SimpleNamespace(user=user)) == build_scope(user)
    assert cached_unread_count(user=user) == 0
    forget_unread([user.pk])
    scope_cache.forget([user.pk])
    scope_cache.forget_all()
    stats, _at = cached_county_statistics(scope=build_scope(people["org_department"]), year=2026)
    assert stats["cadres"] >= 1
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
