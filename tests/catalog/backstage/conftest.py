"""Fixture files, catalogue counts, and a real HTTP server on 127.0.0.1 for imports by URL."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from apps.catalog.models import ContainerSpec, Relation, Service, System

FILES = Path(__file__).parent / "files"
VALID_FILES = ["media-platform-system.yaml", "media-db-resource.yaml", "render-api.yaml",
               "render-service-component.yaml", "media-platform-all.yaml"]

def read(name: str) -> str:
    return (FILES / name).read_text()

def catalogue_state() -> dict:
    """Everything an import can write, to compare before and after."""
    return {
        "services": sorted(Service.objects.values_list("slug", "kind", "source", "orphaned", "owner", "tags")),
        "systems": sorted(System.objects.values_list("slug", "source", "orphaned", "owner")),
        "containers": sorted(ContainerSpec.objects.values_list("service__slug", "image", "tag", "replicas")),
        "relations": sorted(Relation.objects.values_list("source__slug", "type", "target__slug")),
    }

@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    trickle: float = 0.0  # seconds between 1-byte writes: a server that sends slowly
    announce_length: bool = True  # False: no Content-Length, the body ends when the connection closes

class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        route = self.server.routes.get(self.path)
        self.server.requests.append(self.path)
        if route is None:
            self.send_error(404)
            return
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.trickle:
            self.end_headers()

            try:
                for byte in route.body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(route.trickle)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
            return
        if route.announce_length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, *args):
        pass

@pytest.fixture
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {}
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
