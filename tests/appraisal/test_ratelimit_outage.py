"""With Redis down the public ballot page still answers (the rate limit fails open)."""
import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from appraisal import ratelimit

DEAD_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:1/0",
                          "OPTIONS": {"socket_connect_timeout": 0.2}}}


@override_settings(CACHES=DEAD_REDIS)
def test_the_rate_limit_fails_open_when_the_cache_is_unreachable():
    request = RequestFactory().get("/appraisal/vote/")
    assert ratelimit.hit(request, "ballot", limit=1, window=60) is True
    assert ratelimit.exceeded(request, "ballot", limit=1) is False


@pytest.mark.django_db
@override_settings(CACHES=DEAD_REDIS)
def test_the_ballot_page_answers_while_redis_is_down(client):
    response = client.post(reverse("appraisal:ballot"), {"code": "NOPE-NOPE"})
    # The code is checked (and refused) as with Redis up: not a 429, not a 500.
    assert response.status_code == 400
    assert response.context["entry_form"].non_field_errors()
