"""The whole product in one command: Redis (when REDIS_URL is unset), Daphne, a Celery
worker and beat, each its own process, supervised until Ctrl-C.

Children run in their own process groups, so that a terminal's Ctrl-C reaches only the
supervisor, which then stops them in order (web first, Redis last) and kills whatever
does not stop in time, grandchildren (Celery's pool) included.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .childproc import die_with_parent
from .embedded_redis import EmbeddedRedis

STOP_TIMEOUT_S = 10.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            self.argv, env=env, cwd=cwd, start_new_session=True, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
        )

    def signal_group(self, sig: int) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass

    def kill_group(self) -> None:
        # The leader may be gone while its group (pool workers) lives on.
        if self.process:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@dataclass
class Stack:
    base_dir: Path
    host: str
    port: int
    redis_socket: Path
    worker: bool = True
    beat: bool = True
    embedded_redis: EmbeddedRedis | None = None
    children: list[Child] = field(default_factory=list)
    stop_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.embedded_redis:
            env["REDIS_URL"] = self.embedded_redis.url
        return env

    def plan(self) -> list[Child]:
        py = sys.executable
        children = [
            Child("web", [py, "-m", "daphne", "-b", self.host, "-p", str(self.port),
                         # Access lines come as JSON from RequestIdMiddleware instead.
                         "--access-log", os.devnull, "visionspace_site.asgi:application"])
        ]
        if self.worker:
            children.append(
                Child("worker", [py, "-m", "celery", "-A", "visionspace_site", "worker", "--loglevel=INFO",
                                 "--concurrency=2", "--without-gossip", "--without-mingle", "--hostname=worker@%h"])
            )
        if self.beat:
            children.append(Child("beat", [py, "-m", "celery", "-A", "visionspace_site", "beat", "--loglevel=INFO"]))
        return children

    def start(self, *, redis_wanted: bool) -> None:
        if redis_wanted:
            self.embedded_redis = EmbeddedRedis(self.redis_socket).start()
        env = self.environment()
        self.children = self.plan()
        for child in self.children:
            child.start(env, self.base_dir)

    def wait_until_serving(self, *, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.stop_requested.is_set():
            self.raise_if_a_child_died()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"The web process did not answer {self.url}/healthz within {timeout:.0f} s.")
            self.stop_requested.wait(0.1)

    def raise_if_a_child_died(self) -> None:
        for child in self.children:
            if child.process and child.process.poll() is not None:
                raise RuntimeError(f"The {child.name} process exited with code {child.process.returncode}.")

    def handle_signals(self) -> None:
        """Ctrl-C, SIGTERM and SIGHUP all mean: stop everything cleanly."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_: self.stop_requested.set())

    def wait(self) -> None:
        """Block until a signal asks us to stop or a child dies."""
        while not self.stop_requested.wait(0.5):
            self.raise_if_a_child_died()

    def stop(self) -> None:
        self.stop_requested.set()
        for child in self.children:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            child.kill_group()
            child.process.wait()
        if self.embedded_redis:
            self.embedded_redis.stop()
