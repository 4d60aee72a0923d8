"""The client's address behind the reverse proxy: one setting (TRUSTED_PROXIES), one function
(client_ip), used by the audit log, the login lockout and the rate limits."""
from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from residency.access.client_ip import client_ip

rf = RequestFactory()


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_no_proxy_is_trusted_by_default_so_the_header_is_ignored(settings):
    from tongxiang.settings import base

    assert base.TRUSTED_PROXIES == []
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    # The client wrote "1.1.1.1" itself; nginx appended the address it saw.
    assert client_ip(request_from("127.0.0.1", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # Two proxies in a row (10.x forwarded to 127.0.0.1): both skipped.
    assert client_ip(request_from("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_a_trusted_proxy_without_the_header_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"


def test_garbage_in_the_header_never_becomes_the_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client_ip(request_from("127.0.0.1", "1.1.1.1, not-an-ip")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "[2001:db8::5]:443")) == "2001:db8::5"
    assert client_ip(request_from("127.0.0.1", "198.51.100.7:5555")) == "198.51.100.7"


def test_ipv6_and_ipv4_mapped_peers(settings):
    settings.TRUSTED_PROXIES = ["::1", "127.0.0.1"]
    assert client_ip(request_from("::ffff:127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("::1", "2001:db8::9")) == "2001:db8::9"


def test_the_old_leftmost_trusting_setting_is_gone(settings):
    assert not hasattr(django_settings, "AUDIT_TRUST_X_FORWARDED_FOR")
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "6.6.6.6")) == "203.0.113.9"


def test_a_mistyped_proxy_network_fails_the_system_check(settings):
    from residency.access.client_ip import check_trusted_proxies

    settings.TRUSTED_PROXIES = ["127.0.0.1/33"]
    assert [e.id for e in check_trusted_proxies()] == ["residency.E001"]
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert check_trusted_proxies() == []


def test_no_request_no_address():
    assert client_ip(None) is None


def test_axes_asks_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    assert django_settings.AXES_CLIENT_IP_CALLABLE == "residency.access.client_ip.client_ip"
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert get_client_ip_address(request_from("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"


@pytest.mark.django_db
def test_the_audit_log_records_the_client_not_the_proxy(client, people, settings):
    from residency.models import AuditLog
    from tests.residency.factories import PASSWORD

    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    client.post("/accounts/login/", {"username": "cadre1", "password": PASSWORD},
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert AuditLog.objects.get(action="login").ip == "198.51.100.7"


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_one_client_not_everyone(client, people, settings):
    from django.test import Client

    from tests.residency.factories import PASSWORD

    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(6):
        client.post("/accounts/login/", {"username": "cadre1", "password": "wrong-pass1"}, **attacker)
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = owner.post("/accounts/login/", {"username": "cadre1", "password": PASSWORD})
    assert response.status_code == 302
