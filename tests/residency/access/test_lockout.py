"""Login lockout: counted per account whatever name is typed (username or phone), per client
address; and a limit per address on failures across accounts (password spraying)."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from residency.models import AuditLog
from tests.residency.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password1"


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def login(client, username, password=PASSWORD) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_failures_by_username_and_by_phone_count_against_one_account(people):
    c = client_at("198.51.100.1")
    for name in ["cadre1", "13800000001", "cadre1", "13800000001", "cadre1"]:
        assert login(c, name, WRONG) in (200, 429)
    assert login(c, "cadre1") == 429
    assert login(c, "13800000001") == 429


def test_a_lock_earned_by_phone_locks_the_username_too(people):
    c = client_at("198.51.100.2")
    for _ in range(5):
        login(c, "13800000001", WRONG)
    assert login(c, "cadre1") == 429


def test_a_success_on_one_alias_never_clears_the_other_aliass_lock(people):
    c = client_at("198.51.100.3")
    for _ in range(5):
        login(c, "cadre1", WRONG)
    assert login(c, "13800000001") == 429  # the right password by phone: still locked
    assert login(c, "cadre1") == 429
    assert not AuditLog.objects.filter(action="login").exists()


def test_the_lock_is_recorded_under_the_account_name(people):
    c = client_at("198.51.100.4")
    for _ in range(5):
        login(c, "13800000001", WRONG)
    assert AuditLog.objects.filter(action="lockout", username="cadre1").exists()


def test_spraying_many_accounts_from_one_address_locks_the_address(people, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    sprayer = client_at("198.51.100.5")
    names = [f"nobody{i}" for i in range(17)] + ["cadre1", "cadre2", "13800000003"]
    statuses = [login(sprayer, name, WRONG) for name in names]  # one try each account
    assert statuses == [200] * 19 + [429]  # the 20th failure from the address locks it
    assert login(sprayer, "tadmin") == 429  # even the right password of another account
    assert login(client_at("198.51.100.6"), "tadmin") == 302  # other addresses are not affected


def test_a_success_from_the_spraying_address_does_not_reset_its_count(people):
    sprayer = client_at("198.51.100.7")
    for i in range(19):
        login(sprayer, f"nobody{i}", WRONG)
    assert login(sprayer, "cadre3") == 302  # the sprayer's own valid account
    sprayer.post(reverse("logout"))
    assert login(sprayer, "nobody-else", WRONG) in (200, 429)
    assert login(sprayer, "tadmin") == 429
