"""The public ballot page's limits count per client (the real one behind the proxy) and, once a
code names its meeting, per meeting: one abuser cannot stop another village's vote."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from appraisal import services
from appraisal.models import Ballot
from appraisal.views import ballots
from tests.appraisal.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    cache.clear()
    yield
    cache.clear()


def behind_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def vote(client: Client, code: str, cadre) -> int:
    return client.post(reverse("appraisal:ballot"), {
        "code": code, "submit_ballot": "1", f"cadre_{cadre.pk}": "satisfied"}).status_code


def test_an_abuser_guessing_codes_does_not_stop_another_village_voting(people, directory):
    meeting = make_meeting(directory["v11"])
    codes = services.ballot_codes_generate(meeting=meeting, kind="resident", count=1,
                                           by=people["township_admin"])
    abuser = behind_proxy("198.51.100.66")
    url = reverse("appraisal:ballot")
    statuses = [abuser.post(url, {"code": f"AAAAA-{i:05d}"}).status_code for i in range(21)]
    assert statuses[-1] == 429
    assert vote(behind_proxy("203.0.113.10"), codes[0], people["cadre"]) == 200
    assert Ballot.objects.filter(meeting=meeting).count() == 1


def test_the_post_budget_is_per_meeting_so_one_busy_meeting_leaves_the_others_alone(
        people, directory, monkeypatch):
    monkeypatch.setattr(ballots, "POSTS_PER_WINDOW", 3)
    busy = make_meeting(directory["v11"])
    other = make_meeting(directory["v12"])
    busy_codes = services.ballot_codes_generate(meeting=busy, kind="resident", count=4,
                                                by=people["township_admin"])
    other_code = services.ballot_codes_generate(meeting=other, kind="resident", count=1,
                                                by=people["township_admin"])[0]
    shared_wifi = behind_proxy("198.51.100.20")  # both villages reach us through one NAT
    assert [vote(shared_wifi, c, people["cadre"]) for c in busy_codes] == [200, 200, 200, 429]
    assert vote(shared_wifi, other_code, people["cadre_other"]) == 200
    assert Ballot.objects.filter(meeting=other).count() == 1
