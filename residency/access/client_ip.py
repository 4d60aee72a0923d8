"""The client's address, the one rule for it: the audit log, the login lockout (django-axes,
``AXES_CLIENT_IP_CALLABLE``) and the rate limits all ask ``client_ip(request)``.

``TRUSTED_PROXIES`` (settings, from the environment) lists the networks of our own reverse
proxies; it is empty by default. When the peer (``REMOTE_ADDR``) is one of them, the
``X-Forwarded-For`` header is read from the right: each proxy appends the address it saw, so
the rightmost address that is not a trusted proxy is the client. Everything to its left was
written by the client and is never believed. A peer that is not a trusted proxy is the
client, whatever header it sends.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not a network") from exc
    return tuple(networks)


def _parse(value: str) -> Address | None:
    """An address from a header or REMOTE_ADDR; tolerates ``[v6]:port`` and ``v4:port``."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent ``request`` (None without a request)."""
    if request is None:
        return None
    peer_text = request.META.get("REMOTE_ADDR") or ""
    peer = _parse(peer_text)
    if peer is None:
        return peer_text or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    nearest = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # a trusted proxy passed on garbage: stop at that proxy
            return str(nearest)
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A mistyped TRUSTED_PROXIES stops the start, not every request."""
    try:
        _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="residency.E001")]
    return []
