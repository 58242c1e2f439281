"""Outbound HTTP to addresses users give us (health URLs, import URLs, component URLs).

Like healthchecks' SSRF guard: by default a URL whose host resolves to a private,
loopback, link-local, multicast or reserved address is refused, so that a catalogue
entry cannot make the server probe its own network. ``OUTBOUND_ALLOW_PRIVATE=true``
lifts it (local development, tests with a server on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class ForbiddenDestination(ValueError):
    pass


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def check_url(url: str) -> None:
    """Raise ForbiddenDestination unless ``url`` is http(s) to a public address (or private ones are allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ForbiddenDestination(f"Only http:// and https:// URLs with a host can be fetched, not {url[:100]!r}.")
    if settings.OUTBOUND_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise ForbiddenDestination(f"{parts.hostname} does not resolve: {exc}.") from exc
    for info in infos:
        if _blocked(info[4][0]):
            raise ForbiddenDestination(
                f"{parts.hostname} resolves to {info[4][0]}, a private or reserved address; "
                "set OUTBOUND_ALLOW_PRIVATE=true to allow it."
            )
