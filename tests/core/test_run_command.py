"""`make run` on a fresh clone: embedded defaults, everything up, Ctrl-C leaves nothing behind."""

import asyncio
import os
import re
import shutil
import signal
import subprocess
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.support.processes import ROOT, OutputWatcher, free_port, wait_http_ok
from tests.support.ws import NetworkClient

pytestmark = pytest.mark.slow

NOT_COPIED = (".venv/", "node_modules/", "var/")


def fresh_clone(target: Path) -> Path:
    """The files a clone would have: tracked, plus new files git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if name.startswith(NOT_COPIED) or not source.exists():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    return target


def alive(pids: list[int]) -> list[psutil.Process]:
    found = []
    for pid in pids:
        try:
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.NoSuchProcess:
            pass
    return found


async def websocket_round_trip(host: str) -> dict:
    client = await NetworkClient.open(host, "public")
    hello = await client.receive()
    await client.send({"type": "ping", "nonce": "round-trip"})
    pong = await client.receive()
    await client.close()
    return {"hello": hello, "pong": pong}


def test_make_run_on_a_fresh_clone_serves_and_ctrl_c_stops_every_process(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VISIONSPACE_", "DATABASE_URL", "REDIS_URL"))}
    env["VENV"] = str(ROOT / ".venv")  # reuse the installed environment; npm ci still runs in the clone
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=clone, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    output = OutputWatcher(make.stdout)
    try:
        output.wait_for("Press Ctrl-C to stop everything.", timeout=240)
        host = f"127.0.0.1:{port}"
        wait_http_ok(f"http://{host}/healthz", timeout=5)

        trip = asyncio.run(websocket_round_trip(host))
        assert trip["hello"]["type"] == "hello"
        assert trip["pong"] == {"type": "pong", "v": 1, "nonce": "round-trip"}

        link = re.search(r"Sign in once as the local admin: (\S+)", output.text()).group(1)
        assert link.startswith(f"http://{host}/accounts/one-time/")
        with urllib.request.urlopen(link, timeout=5) as page:
            assert page.status == 200 and b"Sign in" in page.read()

        assert (clone / "var" / "db.sqlite3").exists()  # SQLite, in the clone, no configuration
        socket_path = clone / "var" / "redis.sock"
        assert socket_path.exists()  # the embedded Redis

        tree = psutil.Process(make.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in tree)
        for part in ("daphne", "celery -A visionspace_site worker", "celery -A visionspace_site beat", "redis-server"):
            assert part in names, f"{part} is not running: {names}"
        pids = [make.pid, *(p.pid for p in tree)]

        os.killpg(make.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        make.wait(timeout=60)
        output.wait_for("no process left behind", timeout=5)
        psutil.wait_procs([p for p in tree if p.is_running()], timeout=15)
        assert alive(pids) == []
        assert not socket_path.exists()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        for process in alive([p.pid for p in psutil.Process().children(recursive=True)]):
            if clone.as_posix() in " ".join(process.cmdline()):
                process.kill()


def test_children_do_not_outlive_a_supervisor_that_is_killed_outright(tmp_path):
    """SIGKILL leaves no chance to clean up; the kernel's parent-death signal does it."""
    import sys

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VISIONSPACE_", "DATABASE_URL", "REDIS_URL"))}
    env["VISIONSPACE_VAR_DIR"] = str(tmp_path / "var")
    stack = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--port", str(port), "--no-beat"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    output = OutputWatcher(stack.stdout)
    children: list[psutil.Process] = []
    try:
        output.wait_for("Press Ctrl-C to stop everything.", timeout=120)
        children = psutil.Process(stack.pid).children(recursive=True)
        assert len(children) >= 3  # redis, daphne, celery worker (+ its pool)
        stack.kill()
        stack.wait(timeout=10)
        gone, alive_after = psutil.wait_procs(children, timeout=20)
        assert alive_after == []
    finally:
        if stack.poll() is None:
            stack.kill()
        for process in alive([p.pid for p in children]):
            process.kill()
