"""Fetch a catalog-info.yaml by URL, as a guarded outbound request.

``apps.core.netguard.check_url`` vets the URL and every redirect target (at most 3); the
address actually connected to is checked again, so a name that resolves to a public
address for the check and a private one for the connection (DNS rebinding) is still
refused. Timeouts per socket operation and for the whole fetch, and a size cap read
as the body arrives, not trusted from Content-Length.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings

from apps.core.netguard import ForbiddenDestination, check_url

from .parse import MAX_BYTES

MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 10
DEADLINE_SECONDS = 30
USER_AGENT = "VisionSpace-catalog-import/1"


class FetchError(Exception):
    """The URL could not be fetched; the message says why and what to do."""


def public_url(url: str) -> str:
    """The URL without credentials, query or fragment: safe to store as a source or show in a report."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{n / 1024:.0f} KB"


def fetch(url: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    deadline = time.monotonic() + DEADLINE_SECONDS
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_url(current)
        except ForbiddenDestination as exc:
            raise FetchError(str(exc)) from None
        status, location, body = _get(current, max_bytes=max_bytes, deadline=deadline)
        if status in (301, 302, 303, 307, 308):
            if not location:
                raise FetchError(f"{public_url(current)} redirected (HTTP {status}) without saying where to.")
            current = urljoin(current, location)
            continue
        if status != 200:
            raise FetchError(f"{public_url(current)} answered HTTP {status}; check the URL (for a file in a "
                             "repository, link to its raw content).")
        return body
    raise FetchError(f"{public_url(url)} redirected more than {MAX_REDIRECTS} times; link to the final URL.")


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise FetchError(f"{public_url(url)} has an invalid port.") from None
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=TIMEOUT_SECONDS,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=TIMEOUT_SECONDS)
    path = parts.path or "/"
    return conn, f"{path}?{parts.query}" if parts.query else path


def _check_peer(conn: http.client.HTTPConnection, url: str) -> None:
    if settings.OUTBOUND_ALLOW_PRIVATE:
        return
    address = ipaddress.ip_address(conn.sock.getpeername()[0].split("%")[0])
    if not address.is_global or address.is_multicast:
        raise FetchError(f"{urlsplit(url).hostname} connected to {address}, a private or reserved address; "
                         "set OUTBOUND_ALLOW_PRIVATE=true to allow it.")


def _get(url: str, *, max_bytes: int, deadline: float) -> tuple[int, str | None, bytes]:
    conn, target = _connection(url)
    # A hard deadline: a server trickling bytes would reset every per-read timeout, so a
    # timer shuts the socket down under whatever read is blocked when time is up.
    watchdog = None
    try:
        conn.connect()
        # http.client drops conn.sock once a response that ends at close begins; keep our own.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, [conn.sock])
        watchdog.daemon = True
        watchdog.start()
        _check_peer(conn, url)
        conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                             "Accept": "application/yaml, text/yaml, text/plain, */*"})
        response = conn.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location"), b""
        if "html" in (response.getheader("Content-Type") or "").lower():
            raise FetchError(f"{public_url(url)} returned a web page, not YAML; link to the raw file "
                             "(e.g. raw.githubusercontent.com/… rather than github.com/…/blob/…).")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{public_url(url)} is {_size(int(length))}; the limit is {_size(max_bytes)}.")
        chunks, size = [], 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{public_url(url)} is larger than {_size(max_bytes)}, the limit; split the "
                                 "catalogue into several files.")
            chunks.append(chunk)
        if time.monotonic() >= deadline:
            raise OSError("deadline")  # the watchdog may have cut the body short
        return 200, None, b"".join(chunks)
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise FetchError(f"{public_url(url)} took longer than {DEADLINE_SECONDS} s to answer; try again, "
                             "or download the file and import it from disk.") from None
        raise FetchError(f"{public_url(url)} could not be fetched: {exc or type(exc).__name__}. Check the URL "
                         "and that the server answers.") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        conn.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed
