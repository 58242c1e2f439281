"""Real HTTP servers on 127.0.0.1 for the probe tests; each answers what the test sets up, per path.

| path | answer |
|---|---|
| /health | ``status`` and ``body`` (200 "ok" unless the test changes them) |
| /redirect/<n> | 302 to /redirect/<n-1>; /redirect/0 is 200 |
| /to?url=<url> | 302 to <url> |
| /hang | nothing until ``release`` is set (the test ends) |
| /endless | 200 and a body that never ends; ``bytes_sent`` counts what the socket took |
"""

from __future__ import annotations

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CHUNK = b"x" * 16384


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops parallel probes' SYNs, costing them a 1 s retransmit


class TargetServer:
    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.scheme = "https" if tls else "http"
        self.status = 200
        self.body = b"ok"
        self.requests: list[tuple[str, str]] = []  # (path, Host header), in arrival order
        self.release = threading.Event()
        self.bytes_sent = 0
        self.endless_done = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _handler(self))
        if tls:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="probe-target", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/health", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(target: TargetServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

        def do_GET(self):
            target.requests.append((self.path, self.headers.get("Host", "")))
            parts = urlsplit(self.path)
            if parts.path == "/health":
                self._answer(target.status, target.body)
            elif parts.path.startswith("/redirect/"):
                left = int(parts.path.rsplit("/", 1)[1])
                if left:
                    self._redirect(f"/redirect/{left - 1}")
                else:
                    self._answer(200, b"arrived")
            elif parts.path == "/to":
                self._redirect(parse_qs(parts.query)["url"][0])
            elif parts.path == "/hang":
                target.release.wait()
            elif parts.path == "/endless":
                self._endless()
            else:
                self._answer(404, b"no such path")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _endless(self) -> None:
            # A small send buffer, so that bytes_sent is close to what the client took.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self.wfile.flush()
            try:
                while not target.release.is_set():
                    target.bytes_sent += self.connection.send(CHUNK)
            except OSError:
                pass  # the client hung up: what we wanted
            finally:
                target.endless_done.set()

    return Handler


class RefusingPort:
    """A bound TCP port nobody listens on: connecting to it is refused at once, race-free."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/health"

    def close(self) -> None:
        self._sock.close()
