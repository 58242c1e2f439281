"""The HTTP probe: one GET of a health URL, guarded like healthchecks' outbound requests.

Every hop (the URL and each redirect target) passes the outbound guard, then the host
is resolved once and the connection goes to an address that passed the guard itself;
the request still carries the URL's host name (Host header, TLS SNI and certificate
check), so a DNS answer that changes between the check and the connect cannot move
the probe onto a private address.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from apps.core.netguard import ForbiddenDestination, check_url

MAX_REDIRECTS = 3
MAX_BODY_BYTES = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "VisionSpace-probe/1"
EXCERPT_CHARS = 120

Guard = Callable[[str], None]


@dataclass(frozen=True)
class ProbeOutcome:
    ok: bool
    status_code: int | None
    latency_ms: float
    error: str = ""


class _Failed(Exception):
    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    location: str | None
    body: bytes


def probe(url: str, *, timeout: float, guard: Guard = check_url) -> ProbeOutcome:
    """GET ``url``; up on a 2xx within ``timeout`` seconds in all (redirects included), down otherwise."""
    started = time.monotonic()
    deadline = started + timeout

    def elapsed_ms() -> float:
        return round((time.monotonic() - started) * 1000, 1)

    try:
        answer = _follow(url, deadline=deadline, timeout=timeout, guard=guard)
    except _Failed as exc:
        return ProbeOutcome(ok=False, status_code=exc.status_code, latency_ms=elapsed_ms(), error=str(exc)[:300])
    if 200 <= answer.status < 300:
        return ProbeOutcome(ok=True, status_code=answer.status, latency_ms=elapsed_ms())
    error = f"HTTP {answer.status} {_printable(answer.reason)}".rstrip()
    excerpt = _printable(answer.body.decode("utf-8", "replace"))[:EXCERPT_CHARS]
    return ProbeOutcome(
        ok=False, status_code=answer.status, latency_ms=elapsed_ms(), error=f"{error}: {excerpt}" if excerpt else error
    )


def _follow(url: str, *, deadline: float, timeout: float, guard: Guard) -> _Answer:
    for _ in range(MAX_REDIRECTS + 1):
        answer = _get(url, deadline=deadline, timeout=timeout, guard=guard)
        if answer.status not in REDIRECT_STATUSES:
            return answer
        if not answer.location:
            raise _Failed(f"HTTP {answer.status} redirect without a Location header", answer.status)
        url = urljoin(url, answer.location)
    raise _Failed(f"more than {MAX_REDIRECTS} redirects (last to {answer.location[:100]})", answer.status)


def _get(url: str, *, deadline: float, timeout: float, guard: Guard) -> _Answer:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise _Failed(f"invalid URL {url[:100]!r}") from None
    _check(guard, url)
    addresses = _resolve(parts.hostname, port)
    for address in addresses:
        _check(guard, _address_url(parts.scheme, address, port))

    conn = _connect(parts.scheme, parts.hostname, port, addresses, deadline=deadline, timeout=timeout)
    # http.client hands the socket over to the response on "Connection: close"; keep it to set timeouts.
    sock = conn.sock
    response = None
    try:
        sock.settimeout(_remaining(deadline, timeout))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"})
        response = conn.getresponse()
        body = _read_capped(sock, response, deadline=deadline, timeout=timeout)
        return _Answer(response.status, response.reason, response.getheader("Location"), body)
    except TimeoutError:
        raise _Failed(f"no answer within {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise _Failed(f"TLS error: {exc.reason or exc}") from None
    except http.client.RemoteDisconnected:
        raise _Failed("the server closed the connection without answering") from None
    except http.client.HTTPException as exc:
        raise _Failed(f"invalid HTTP response: {type(exc).__name__} {str(exc)[:100]}") from None
    except OSError as exc:
        raise _Failed(f"connection failed: {exc.strerror or exc}") from None
    finally:
        if response is not None:
            response.close()
        conn.close()


def _check(guard: Guard, url: str) -> None:
    try:
        guard(url)
    except ForbiddenDestination as exc:
        if isinstance(exc.__cause__, socket.gaierror):
            raise _Failed(f"DNS lookup failed: {exc}") from None
        raise _Failed(f"forbidden destination: {exc}") from None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise _Failed(f"DNS lookup failed for {host}: {exc.strerror}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _address_url(scheme: str, address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}:{port}/"


def _remaining(deadline: float, timeout: float) -> float:
    left = min(deadline - time.monotonic(), timeout)
    if left <= 0:
        raise _Failed(f"no answer within {timeout:g} s")
    return left


def _connect(scheme: str, host: str, port: int, addresses: list[str], *, deadline: float, timeout: float):
    """Open a connection to the first reachable checked address, speaking to it as ``host``."""
    error: Exception | None = None
    for address in addresses:
        left = _remaining(deadline, timeout)
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=left, context=_tls_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=left)
        # http.client dials (host, port) through this hook; dial the checked address instead.
        conn._create_connection = lambda _hostport, t, source, address=address: socket.create_connection(
            (address, port), t, source
        )
        try:
            conn.connect()
            return conn
        except TimeoutError:
            error = _Failed(f"connect to {address}:{port} timed out after {timeout:g} s")
        except ConnectionRefusedError:
            error = _Failed(f"connection refused by {address}:{port}")
        except ssl.SSLCertVerificationError as exc:
            error = _Failed(f"TLS certificate not valid for {host}: {exc.verify_message}")
        except ssl.SSLError as exc:
            error = _Failed(f"TLS handshake with {host} failed: {exc.reason or exc}")
        except OSError as exc:
            error = _Failed(f"cannot connect to {address}:{port}: {exc.strerror or exc}")
        conn.close()
    raise error or _Failed(f"{host} has no address")


def _tls_context() -> ssl.SSLContext:
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@lru_cache(maxsize=4)
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # Loading the trust store takes ~30 ms; build one context per trust store (OpenSSL reads these variables).
    return ssl.create_default_context()


def _read_capped(sock: socket.socket, response: http.client.HTTPResponse, *, deadline: float, timeout: float) -> bytes:
    """At most MAX_BODY_BYTES; the rest is never read (the connection is closed after)."""
    chunks, size = [], 0
    while size < MAX_BODY_BYTES:
        sock.settimeout(_remaining(deadline, timeout))
        chunk = response.read1(min(16 * 1024, MAX_BODY_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _printable(text: str) -> str:
    return re.sub(r"[\s\x00-\x1f\x7f]+", " ", text).strip()
