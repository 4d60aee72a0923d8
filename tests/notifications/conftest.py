from __future__ import annotations

import pytest

from . import gateway


@pytest.fixture(autouse=True)
def sms(settings):
    """SMS goes to the recording gateway; returns the list of messages sent."""
    settings.NOTIFICATIONS_SMS_BACKEND = "tests.notifications.gateway.RecordingGateway"
    settings.NOTIFICATIONS_RETRY_COUNTDOWN = 0
    gateway.reset()
    yield gateway.SENT
    gateway.reset()


@pytest.fixture
def staff(people):
    """``people`` with e-mail addresses, and a phone for the township admin."""
    for key in ("cadre", "cadre_other", "cadre_far"):
        user = people[key].user
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    admin = people["township_admin"]
    admin.email = "tadmin@example.org"
    admin.save(update_fields=["email"])
    admin.official.phone = "13900000009"
    admin.official.save(update_fields=["phone"])
    return people
