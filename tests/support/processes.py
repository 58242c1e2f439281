"""Start real server processes for tests (Daphne, Celery) and wait until they serve."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from apps.core.childproc import die_with_parent

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the tests are using (the test database, not the configured one)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "localhost"
    if host.startswith("/"):  # a unix-socket directory, spelled as dj-database-url reads it back
        from urllib.parse import quote

        host = quote(host, safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{s['NAME']}"


def subprocess_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        VISIONSPACE_KEY_PREFIX=settings.KEY_PREFIX,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


class OutputWatcher:
    """Collect a process's output in a thread, and wait for a line that says it is ready."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace")
            self.lines.append(line)
            self._queue.put(line)

    def wait_for(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no line with {needle!r} within {timeout} s; output:\n{self.text()[-3000:]}")
            try:
                if needle in self._queue.get(timeout=remaining):
                    return
            except queue.Empty:
                continue

    def text(self) -> str:
        return "".join(self.lines)


def wait_http_ok(url: str, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {timeout} s")
        time.sleep(0.05)  # polling a condition with a deadline, not a sleep to synchronise


def stop(process: subprocess.Popen, *, timeout: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def daphne(env: dict[str, str] | None = None, *, port: int | None = None):
    """A real Daphne serving visionspace_site.asgi; yields its base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "--access-log", os.devnull,
         "visionspace_site.asgi:application"],
        cwd=ROOT, env=env or subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )
    watcher = OutputWatcher(process.stdout)
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process)
        yield f"127.0.0.1:{port}"
    except Exception:
        print(watcher.text()[-5000:])
        raise
    finally:
        stop(process)


@contextmanager
def paused(process: subprocess.Popen):
    """Freeze ``process`` and its children (SIGSTOP) so a test can act at one moment of their work,
    however fast this machine does it; they go on (SIGCONT) when the block ends."""
    import psutil

    root = psutil.Process(process.pid)
    tree = [root, *root.children(recursive=True)]
    for member in tree:
        member.suspend()
    try:
        yield
    finally:
        for member in tree:
            try:
                member.resume()
            except psutil.NoSuchProcess:
                pass


@contextmanager
def celery_worker(env: dict[str, str] | None = None):
    """A real Celery worker (prefork, one child) consuming this run's queue."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "visionspace_site", "worker", "--loglevel=INFO",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         f"--hostname=test-{os.getpid()}@%h"],
        # INFO, because the worker announces "<name> ready." at that level.
        cwd=ROOT, env={**(env or subprocess_env()), "LOG_LEVEL": "INFO"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )
    watcher = OutputWatcher(process.stdout)
    try:
        watcher.wait_for(" ready.", timeout=60)
        yield process
    except Exception:
        print(watcher.text()[-5000:])
        raise
    finally:
        stop(process, timeout=20)
