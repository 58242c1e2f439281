"""A real component server on 127.0.0.1 for tests: good answers, bad ones and none at all."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID_SCENE = {
    "v": 1,
    "title": "Flight memory: live recall",
    "narration": "The flight memory component reports ninety nine point four percent recall across three regions.",
    "duration_s": 4,
    "layout": "metrics",
    "metrics": [
        {"label": "Recall", "value": 99.4, "unit": "%"},
        {"label": "Regions", "value": 3},
        {"label": "Queue", "value": "empty"},
    ],
}
TEXT_SCENE = {
    "v": 1, "title": "Hub notes", "narration": "Two things to know about the hub today.", "duration_s": 3,
    "layout": "text", "lines": ["Nightly rebuild passed", "Next rotation on Friday"],
}


class ComponentServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.release = threading.Event()
        self.scene = dict(VALID_SCENE)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append({"path": self.path, "body": json.loads(body or b"null"),
                                       "content_type": self.headers.get("Content-Type")})
                route = getattr(outer, "route_" + self.path.strip("/").split("?")[0], None)
                if route is None:
                    self.answer(404, b"no such route")
                else:
                    route(self)

            def answer(self, status: int, body: bytes, content_type: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    # Routes ------------------------------------------------------------------------------------
    def route_valid(self, h):
        h.answer(200, json.dumps(self.scene).encode())

    def route_text(self, h):
        h.answer(200, json.dumps(TEXT_SCENE).encode())

    def route_malformed(self, h):
        h.answer(200, b'{"v": 1, "title": "half a scene", ')

    def route_invalid(self, h):
        h.answer(200, json.dumps({**VALID_SCENE, "duration_s": 60}).encode())

    def route_nan(self, h):
        h.answer(200, json.dumps(VALID_SCENE).replace('"duration_s": 4', '"duration_s": NaN').encode())

    def route_list(self, h):
        h.answer(200, b"[1, 2, 3]")

    def route_big(self, h):
        h.answer(200, json.dumps({**VALID_SCENE, "padding": "x" * 100_000}).encode())

    def route_error(self, h):
        h.answer(500, b'{"error": "boom"}')

    def route_redirect(self, h):
        h.send_response(302)
        h.send_header("Location", "/valid")
        h.send_header("Content-Length", "0")
        h.end_headers()

    def route_hang(self, h):
        self.release.wait(60)

    def route_drip(self, h):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.end_headers()
        for _ in range(40):
            if self.release.wait(0.25):
                return
            h.wfile.write(b" ")
            h.wfile.flush()

    def start(self) -> "ComponentServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def component_server():
    server = ComponentServer().start()
    try:
        yield server
    finally:
        server.stop()
