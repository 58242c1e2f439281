#!/usr/bin/env python
"""Broadcast latency and loss to N websocket clients on one Daphne process.

Run from the project root: ``.venv/bin/python bench/ws_broadcast.py`` (or ``make bench``).
See docs/benchmarks.md for what it measures and the figures measured so far.

Two modes, in the same run, against the same Daphne process, with the same payload:

* ``events``: ``event_apublish`` to group ``public``, clients on ``/ws/events/public/``
  (our EventStreamConsumer as production runs it: the process's hub fan-out, seq from
  the Redis log, gap fill, exactly-once).
* ``baseline``: a plain Channels ``group_send`` of the same event text to clients of a
  bare consumer that forwards it as it is (``bench/bench_asgi.py``): stock Channels.

Each mode opens N clients, waits for every ``hello``, publishes ``--rounds`` broadcasts
(after ``--warmup`` unmeasured ones) and closes its clients before the next mode starts,
so the server holds N clients at a time. A broadcast carries ``sent_at=time.time()``;
the latency of one (client, message) is the client's ``time.time()`` at receipt minus
``sent_at`` (one machine, one clock). Receipt is when the driver parses the frame off the
socket (``--stamp frame``), and the driver's own garbage collector is frozen and off
while it measures (``--driver-gc off``): one driver process stands for 1,000 browsers, and
its pauses would otherwise delay every client's clock at once. Lost = expected (N x
broadcasts) - received, after waiting for stragglers. Daphne's GC record, RSS and the time
of one full collection come from ``GET /bench/stats`` (bench_asgi.py). The last line
printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OURS_GROUP = "public"  # open to anonymous clients (apps/events/access.py)
PLAIN_GROUP = "benchplain"
EVENT_TYPE = "system.ping"
NONCE_MAX = ORIGIN_MAX = 64  # apps/events/schemas/types/system.ping.schema.json
TARGET_P99_MS = 100.0
HEARTBEAT = b'{"type":"heartbeat"'


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        new = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < needed:
            print(f"warning: open-file limit is {new} (hard), {needed} wanted", file=sys.stderr)


def configure_environment(run_dir: Path) -> None:
    """Everything this run's processes share, set before Django reads its settings."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "visionspace_site.settings"
    os.environ["VISIONSPACE_MODE"] = "local"
    os.environ["VISIONSPACE_VAR_DIR"] = str(run_dir / "var")
    os.environ["VISIONSPACE_KEY_PREFIX"] = f"bench{secrets.token_hex(4)}"
    os.environ["DATABASE_URL"] = f"sqlite:///{run_dir / 'bench.sqlite3'}"  # nothing should touch it
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PYTHONUNBUFFERED"] = "1"


class Daphne:
    def __init__(self, run_dir: Path, port: int, web_gc: str = "auto"):
        self.port = port
        self.web_gc = web_gc
        self.log_path = run_dir / "daphne.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> "Daphne":
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "--access-log", os.devnull, "bench.bench_asgi:application"],
            cwd=ROOT, env={**os.environ, "VISIONSPACE_WEB_GC": self.web_gc}, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        # Daphne imports the application before it binds, so an open port means it serves.
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"daphne did not listen on {self.port} within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.05)  # polling a condition with a deadline

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def machine_busy_seconds() -> float | None:
    """CPU seconds all processes on the machine have used (for spotting other load during a run)."""
    try:
        import psutil

        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0) - getattr(t, "guest", 0.0) - getattr(t, "guest_nice", 0.0)
    except Exception:
        return None


def machine_cpu_fields() -> dict[str, float]:
    """The machine's CPU seconds by kind (user, system, softirq, steal...), to tell other
    programs from kernel work (loopback networking is softirq) and from the hypervisor."""
    try:
        import psutil

        t = psutil.cpu_times()
        return {f: getattr(t, f) for f in t._fields if f not in {"idle", "iowait", "guest", "guest_nice"}}
    except Exception:
        return {}


def cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except Exception:  # psutil missing or the process is gone: the figure is optional
        return None


# --- clients ---------------------------------------------------------------------------


class Tally:
    """Counts received broadcast messages; lets the driver wait for a count with a deadline."""

    def __init__(self) -> None:
        self.count = 0
        self._target: int | None = None
        self._reached = asyncio.Event()

    def hit(self) -> None:
        self.count += 1
        if self._target is not None and self.count >= self._target:
            self._reached.set()

    async def wait_for(self, target: int, timeout: float) -> bool:
        if self.count >= target:
            return True
        self._target = target
        self._reached.clear()
        try:
            await asyncio.wait_for(self._reached.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._target = None


@dataclass
class Client:
    ws: object
    hello: dict
    inbox: list[tuple[float, bytes]] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # control messages other than heartbeats
    closed_early: bool = False


def stamping_connection():
    """A websockets client connection that timestamps each text frame as it is parsed off
    the socket (``process_event``, called from the protocol's ``data_received``) and keeps
    it there, instead of queueing it for a reader coroutine: the earliest moment a client
    can know it has the message, and no per-message task wake-up in the driver (1,000
    clients share one process here; a browser has a process of its own)."""
    from websockets.asyncio.client import ClientConnection
    from websockets.frames import Frame, Opcode

    class StampingConnection(ClientConnection):
        sink = None  # set once the hello is read: callable(time, bytes)

        def process_event(self, event) -> None:
            sink = self.sink
            if sink is not None and isinstance(event, Frame) and event.opcode is Opcode.TEXT and event.fin:
                sink(time.time(), event.data)
                return
            super().process_event(event)

    return StampingConnection


async def open_client(url: str, origin: str, timeout: float) -> Client:
    from websockets.asyncio.client import connect

    # Browser-like: compression offered (the server decides), no client pings, no proxy.
    ws = await connect(url, origin=origin, ping_interval=None, proxy=None, open_timeout=timeout,
                       close_timeout=2, max_queue=None, create_connection=stamping_connection())
    try:
        hello = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    except BaseException:
        await ws.close()
        raise
    if hello.get("type") != "hello":
        await ws.close()
        raise RuntimeError(f"expected hello from {url}, got {hello!r}")
    return Client(ws=ws, hello=hello)


async def open_clients(n: int, url: str, origin: str, concurrency: int, timeout: float) -> list[Client]:
    """N clients, at most ``concurrency`` handshakes at a time (a burst overflows the accept backlog)."""
    gate = asyncio.Semaphore(concurrency)

    async def one() -> Client:
        async with gate:
            return await open_client(url, origin, timeout)

    results = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
    clients = [r for r in results if isinstance(r, Client)]
    errors = [r for r in results if not isinstance(r, Client)]
    if errors:
        await close_clients(clients, concurrency)
        raise RuntimeError(f"{len(errors)} of {n} clients failed to connect to {url}; first: {errors[0]!r}")
    return clients


def capture(client: Client, prefix: bytes, tally: Tally) -> None:
    """From now on, every text frame of this client is timestamped and kept (parsed later)."""
    inbox, unexpected = client.inbox, client.unexpected

    def sink(now: float, data: bytes) -> None:
        if data.startswith(prefix):
            inbox.append((now, data))
            tally.hit()
        elif not data.startswith(HEARTBEAT):  # e.g. "reset" or "error": worth reporting
            unexpected.append(data[:200].decode(errors="replace"))

    client.ws.sink = sink


async def read_into(client: Client, prefix: bytes, tally: Tally) -> None:
    """``--stamp reader`` (how this script measured before): a coroutine per client takes
    ``time.time()`` when ``recv`` hands it a message, i.e. after the driver's event loop
    got round to that client's task: the driver's own delays land in the figures."""
    from websockets.exceptions import ConnectionClosed

    inbox, unexpected = client.inbox, client.unexpected
    try:
        async for text in client.ws:
            now = time.time()
            data = text.encode()
            if data.startswith(prefix):
                inbox.append((now, data))
                tally.hit()
            elif not data.startswith(HEARTBEAT):
                unexpected.append(text[:200])
    except ConnectionClosed:
        pass


async def close_clients(clients: list[Client], concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(client: Client) -> None:
        async with gate:
            try:
                await client.ws.close()
            except Exception:
                pass

    await asyncio.gather(*(one(c) for c in clients))


# --- payload ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Padding:
    nonce: str
    origin: str
    frame_bytes: int


def make_padding(target_frame_bytes: int) -> Padding:
    """Pad nonce and origin so that the event text each client receives is about the target size."""
    from apps.events import envelope

    def frame(nonce_pad: str, origin: str) -> int:
        payload = {"nonce": nonce_for(9999, nonce_pad), "sent_at": time.time(), "origin": origin}
        return len(envelope.with_seq(99, envelope.body(group=OURS_GROUP, type=EVENT_TYPE, payload=payload)).encode())

    base = frame("", "")
    room = NONCE_MAX - len(nonce_for(9999, ""))
    smallest, largest = base, base + room + ORIGIN_MAX
    if not smallest <= target_frame_bytes <= largest:
        raise SystemExit(f"--payload-bytes must be between {smallest} and {largest} "
                         f"(the {EVENT_TYPE} schema caps nonce and origin at 64 characters)")
    deficit = target_frame_bytes - base
    nonce_pad = "n" * min(deficit, room)
    origin = "o" * (deficit - len(nonce_pad))
    return Padding(nonce=nonce_pad, origin=origin, frame_bytes=frame(nonce_pad, origin))


def nonce_for(index: int, pad: str) -> str:
    return f"r{index:04d}-{pad}"


def round_of(nonce: str) -> int:
    return int(nonce[1:5])


# --- server and driver GC -------------------------------------------------------------

class DriverGc:
    """This process's collections (gc.callbacks): shows whether the driver paused while measuring."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))

    def summary(self, since: int) -> dict:
        times = [t for _, t in self.pauses[since:]]
        return {"count": len(times), "max_ms": round(max(times, default=0.0) * 1000, 1)}


DRIVER_GC = DriverGc()


async def server_stats(port: int, since: int = 0, collect: bool = False) -> dict | None:
    """Daphne's GC record and RSS (bench/bench_asgi.py answers GET /bench/stats)."""
    import urllib.request

    def fetch() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/stats?since={since}{'&collect=1' if collect else ''}", timeout=10) as response:
            return json.loads(response.read())

    try:
        return await asyncio.to_thread(fetch)
    except Exception as exc:  # an optional figure: never fail the run for it
        print(f"  (no server stats: {exc!r})", flush=True)
        return None


def gc_delta(before: dict | None, after: dict | None) -> dict | None:
    """Daphne's collections between two /bench/stats answers (``after`` asked with since=)."""
    if not before or not after:
        return None
    return after["gc"]


# --- one mode --------------------------------------------------------------------------


@dataclass
class ModeResult:
    name: str
    latencies_ms: list[float]  # measured rounds only
    warmup_latencies_ms: list[float]
    per_round_first_ms: list[float]  # time for a measured broadcast to reach its first client
    per_round_median_ms: list[float]
    per_round_last_ms: list[float]  # ... and its last client
    publish_ms: list[float]  # how long the publishing call took
    expected: int
    received: int
    lost: int
    duplicates: int
    order_violations: int
    gaps: int
    closed_early: int
    unexpected: list[str]
    rounds_timed_out: int
    cpu: dict[str, float | None]
    extensions: str
    server_gc: dict | None = None  # Daphne's collections during the measured broadcasts, per generation
    server_rss_mb: float | None = None  # Daphne's resident memory after them, N clients still open
    server_tracked: int | None = None  # objects the collector tracks in Daphne (frozen ones excluded)
    server_full_collection_ms: float | None = None  # one gc.collect() in Daphne, N clients open
    driver_gc: dict | None = None  # the driver's own collections meanwhile


@dataclass
class Settings:
    clients: int
    rounds: int
    warmup: int
    gap_s: float
    pace: str
    round_timeout: float
    straggler_timeout: float
    concurrency: int
    per_round: bool
    padding: Padding
    port: int
    pids: dict[str, int | None]
    driver_gc: str = "off"
    stamp: str = "frame"


async def run_mode(name: str, cfg: Settings) -> ModeResult:
    from channels.layers import get_channel_layer

    from apps.events import envelope
    from apps.events.services import event_apublish

    origin = f"http://127.0.0.1:{cfg.port}"
    if name == "events":
        url, prefix = f"ws://127.0.0.1:{cfg.port}/ws/events/{OURS_GROUP}/", b'{"seq":'
    else:
        url, prefix = f"ws://127.0.0.1:{cfg.port}/ws/plain/{PLAIN_GROUP}/", b'{"type":"' + EVENT_TYPE.encode() + b'"'
    layer = get_channel_layer()

    def payload(index: int) -> dict:
        return {"nonce": nonce_for(index, cfg.padding.nonce), "sent_at": time.time(), "origin": cfg.padding.origin}

    async def publish(index: int) -> float:
        started = time.time()
        if name == "events":
            await event_apublish(group=OURS_GROUP, type=EVENT_TYPE, payload=payload(index))
        else:
            # The same event text a client of ours gets, minus "seq", through bare Channels.
            text = envelope.body(group=PLAIN_GROUP, type=EVENT_TYPE, payload=payload(index))
            await layer.group_send(PLAIN_GROUP, {"type": "plain.message", "text": text})
        return (time.time() - started) * 1000

    t0 = time.monotonic()
    clients = await open_clients(cfg.clients, url, origin, cfg.concurrency, timeout=30)
    print(f"  {name}: {len(clients)} clients connected in {time.monotonic() - t0:.1f} s", flush=True)
    extensions = clients[0].ws.response.headers.get("Sec-WebSocket-Extensions", "") or "none"
    tally = Tally()
    readers = []
    for client in clients:
        if cfg.stamp == "frame":
            capture(client, prefix, tally)
        else:
            readers.append(asyncio.ensure_future(read_into(client, prefix, tally)))

    total = cfg.warmup + cfg.rounds
    publish_ms: list[float] = []
    timed_out = 0
    stats_before = await server_stats(cfg.port)
    if cfg.driver_gc == "off":
        # The driver's own collections would stop every client's clock at once: none while
        # measuring (what the mode allocates is kept until the end of the mode, a few MB).
        gc.collect()
        gc.freeze()
        gc.disable()
    driver_pauses_before = len(DRIVER_GC.pauses)
    cpu_before = {k: cpu_seconds(pid) for k, pid in cfg.pids.items()}
    busy_before = machine_busy_seconds()
    fields_before = machine_cpu_fields()
    t0 = time.monotonic()
    for index in range(total):
        tick = time.monotonic()
        publish_ms.append(await publish(index))
        if cfg.pace == "complete":
            # Wait for this broadcast to reach every client (or give up on it), then pause.
            if not await tally.wait_for((index + 1) * len(clients), cfg.round_timeout):
                timed_out += 1
            await asyncio.sleep(cfg.gap_s)
        else:
            # Fixed rate: one broadcast every gap, whatever is still in flight.
            await asyncio.sleep(max(0.0, tick + cfg.gap_s - time.monotonic()))
    await tally.wait_for(total * len(clients), cfg.straggler_timeout)
    elapsed = time.monotonic() - t0
    cpu_after = {k: cpu_seconds(pid) for k, pid in cfg.pids.items()}
    busy_after = machine_busy_seconds()
    fields_after = machine_cpu_fields()
    driver_gc = DRIVER_GC.summary(since=driver_pauses_before)
    if cfg.driver_gc == "off":
        gc.enable()
        gc.unfreeze()
    stats_after = await server_stats(cfg.port, since=(stats_before or {}).get("pauses", 0))
    full = await server_stats(cfg.port, collect=True)  # after the figures: its pause is not measured
    for client in clients:
        client.closed_early = client.ws.close_code is not None  # closed by the server: we close ours below
    early = [client for client in clients if client.closed_early]
    closed_early = len(early)
    if early:
        codes: dict[str, int] = {}
        for client in early:
            key = f"{client.ws.close_code} {client.ws.close_reason or ''}".strip()
            codes[key] = codes.get(key, 0) + 1
        print(f"  {name}: {closed_early} clients closed by the server (close code: count) {codes}", flush=True)
    for reader in readers:
        reader.cancel()
    await close_clients(clients, cfg.concurrency)

    cpu = {k: (None if cpu_before[k] is None or cpu_after[k] is None else cpu_after[k] - cpu_before[k])
           for k in cfg.pids}
    cpu["wall"] = elapsed
    ours_cpu = sum(v for k, v in cpu.items() if k != "wall" and v is not None)
    # CPU that neither Daphne, Redis nor this driver used: other programs competing for the cores.
    cpu["other"] = None if busy_before is None or busy_after is None else max(0.0, busy_after - busy_before - ours_cpu)
    cpu["machine"] = {k: round(fields_after[k] - fields_before[k], 2) for k in fields_after if k in fields_before}
    result = analyse(name, clients, cfg, total, publish_ms, timed_out, closed_early, cpu, extensions)
    result.server_gc = gc_delta(stats_before, stats_after)
    result.server_rss_mb = (stats_after or {}).get("rss_mb")
    result.server_tracked = (stats_after or {}).get("tracked")
    result.server_full_collection_ms = (full or {}).get("full_collection_ms")
    result.driver_gc = driver_gc
    return result


def analyse(name: str, clients: list[Client], cfg: Settings, total: int, publish_ms: list[float],
            timed_out: int, closed_early: int, cpu: dict, extensions: str) -> ModeResult:
    latencies: list[float] = []
    warmup: list[float] = []
    per_round: list[list[float]] = [[] for _ in range(total)]
    received = duplicates = violations = gaps = 0
    for client in clients:
        seen: set[int] = set()
        last_seq = client.hello.get("seq", 0)
        for at, text in client.inbox:
            message = json.loads(text)  # bytes: json takes them as they are
            index = round_of(message["payload"]["nonce"])
            latency = (at - message["payload"]["sent_at"]) * 1000
            if index in seen:
                duplicates += 1
                continue
            seen.add(index)
            received += 1
            (warmup if index < cfg.warmup else latencies).append(latency)
            per_round[index].append(latency)
            if name == "events":
                seq = message["seq"]
                if seq <= last_seq:
                    violations += 1
                elif seq != last_seq + 1:
                    gaps += 1
                last_seq = max(last_seq, seq)
    expected = len(clients) * total
    return ModeResult(
        name=name, latencies_ms=latencies, warmup_latencies_ms=warmup,
        per_round_first_ms=[min(r, default=math.nan) for r in per_round[cfg.warmup:]],
        per_round_median_ms=[percentile(r, 50) for r in per_round[cfg.warmup:]],
        per_round_last_ms=[max(r, default=math.nan) for r in per_round[cfg.warmup:]], publish_ms=publish_ms[cfg.warmup:],
        expected=expected, received=received, lost=expected - received, duplicates=duplicates,
        order_violations=violations, gaps=gaps, closed_early=closed_early,
        unexpected=[text for client in clients for text in client.unexpected], rounds_timed_out=timed_out,
        cpu=cpu, extensions=extensions,
    )


# --- report ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def per_message_us(r: ModeResult) -> float | None:
    """Daphne's CPU time per message delivered: what a broadcast costs the server, whatever else runs."""
    daphne = r.cpu.get("daphne")
    return None if daphne is None or not r.received else round(daphne / r.received * 1e6, 1)


def report(cfg: Settings, ours: ModeResult, base: ModeResult) -> dict:
    print()
    print(f"ws_broadcast: {cfg.clients} clients on one Daphne process, {cfg.rounds} measured broadcasts per mode "
          f"(+{cfg.warmup} warm-up), pace={cfg.pace}, gap {cfg.gap_s * 1000:.0f} ms, "
          f"event frame ~{cfg.padding.frame_bytes} B, websocket extensions: {ours.extensions}")
    header = (f"{'mode':<18}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'all ms':>8}"
              f"{'pub ms':>8}{'lost':>6}{'dup':>5}{'order':>6}{'gaps':>5}  cpu s daphne/redis/driver/other, wall s")
    print(header)
    print("-" * len(header))
    for r in (ours, base):
        label = "events (ours)" if r.name == "events" else "plain group_send"
        cpu = "/".join(fmt(r.cpu.get(k), 1) for k in ("daphne", "redis", "driver", "other"))
        print(f"{label:<18}{fmt(percentile(r.latencies_ms, 50)):>8}{fmt(percentile(r.latencies_ms, 95)):>8}"
              f"{fmt(percentile(r.latencies_ms, 99)):>8}{fmt(max(r.latencies_ms, default=math.nan)):>8}"
              f"{fmt(percentile(r.per_round_last_ms, 50)):>8}{fmt(percentile(r.publish_ms, 50), 2):>8}"
              f"{r.lost:>6}{r.duplicates:>5}{r.order_violations if r.name == 'events' else '-':>6}"
              f"{r.gaps if r.name == 'events' else '-':>5}  {cpu}, {fmt(r.cpu.get('wall'), 1)}")
    print("(all ms: median over broadcasts of the time to reach the last client; pub ms: median publish call)")
    print(f"daphne CPU per message delivered: events {fmt(per_message_us(ours))} us, "
          f"baseline {fmt(per_message_us(base))} us")
    print(f"GC: daphne {getattr(cfg, 'web_gc', 'tuned')}, driver {cfg.driver_gc} while measuring; "
          f"timestamps: {cfg.stamp}")
    for r in (ours, base):
        if r.server_gc:
            gens = ", ".join(f"{g} {v['count']}x max {v['max_ms']} ms" for g, v in r.server_gc.items())
            print(f"  daphne collections during {r.name}: {gens}; RSS {fmt(r.server_rss_mb)} MB, "
                  f"{r.server_tracked} tracked objects, a full collection {fmt(r.server_full_collection_ms)} ms "
                  f"({cfg.clients} clients open)")
        if r.cpu.get("machine"):
            print(f"  machine CPU s during {r.name}: " + ", ".join(f"{k} {v}" for k, v in r.cpu["machine"].items() if v))
        if r.driver_gc:
            print(f"  driver collections during {r.name}: {r.driver_gc['count']}x, max {r.driver_gc['max_ms']} ms")
    if cfg.per_round:
        for r in (ours, base):
            print(f"per broadcast, {r.name}: first/median/last client ms, publish ms")
            for i, row in enumerate(zip(r.per_round_first_ms, r.per_round_median_ms, r.per_round_last_ms, r.publish_ms)):
                print(f"  {i + cfg.warmup:4d} " + " ".join(f"{v:8.1f}" for v in row))
    for r in (ours, base):
        if r.warmup_latencies_ms:
            print(f"warm-up ({r.name}, not in the figures): p50 {fmt(percentile(r.warmup_latencies_ms, 50))} ms, "
                  f"max {fmt(max(r.warmup_latencies_ms))} ms")
        if r.unexpected:
            print(f"{r.name}: {len(r.unexpected)} unexpected control messages, e.g. {r.unexpected[0]}")
        if r.closed_early or r.rounds_timed_out:
            print(f"{r.name}: {r.closed_early} clients closed by the server, "
                  f"{r.rounds_timed_out} broadcasts not complete within {cfg.round_timeout:.0f} s")
    cores = os.cpu_count() or 1
    for r in (ours, base):
        other, wall = r.cpu.get("other"), r.cpu.get("wall") or 0
        if other is not None and wall and other > 0.1 * wall * cores:
            print(f"warning: other programs used {other:.1f} CPU s during the {r.name} phase ({wall:.1f} s on "
                  f"{cores} cores): the figures include that contention")
    p99, base_p99 = percentile(ours.latencies_ms, 99), percentile(base.latencies_ms, 99)
    ratio = p99 / base_p99 if base_p99 and not math.isnan(base_p99) else math.nan
    lost = ours.lost
    verdict = "met" if p99 <= TARGET_P99_MS and lost == 0 and cfg.clients >= 1000 else "NOT met"
    print(f"ratio ours/baseline p99: {fmt(ratio, 2)}; target (1,000 clients, p99 <= {TARGET_P99_MS:.0f} ms, "
          f"0 lost): {verdict}")
    result = {
        "clients": cfg.clients,
        "p50_ms": round(percentile(ours.latencies_ms, 50), 2),
        "p99_ms": round(p99, 2),
        "lost": lost,
        "baseline_p50_ms": round(percentile(base.latencies_ms, 50), 2),
        "baseline_p99_ms": round(base_p99, 2),
        "rounds": cfg.rounds,
        "p95_ms": round(percentile(ours.latencies_ms, 95), 2),
        "baseline_lost": base.lost,
        "order_violations": ours.order_violations + ours.duplicates,
        "gaps": ours.gaps,
        "ratio_p99": round(ratio, 2),
        "pace": cfg.pace,
        "daphne_cpu_us_per_msg": per_message_us(ours),
        "baseline_daphne_cpu_us_per_msg": per_message_us(base),
        "other_cpu_s": round(sum(r.cpu.get("other") or 0 for r in (ours, base)), 1),
        "web_gc": getattr(cfg, "web_gc", "tuned"),
        "driver_gc": cfg.driver_gc,
        "stamp": cfg.stamp,
        "daphne_rss_mb": ours.server_rss_mb,
        "baseline_daphne_rss_mb": base.server_rss_mb,
        "daphne_gc_max_ms": max((v["max_ms"] for v in (ours.server_gc or {}).values()), default=None),
        "daphne_full_gc_ms": ours.server_full_collection_ms,
    }
    return result


# --- main ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000, help="websocket clients per mode")
    parser.add_argument("--rounds", type=int, default=30, help="measured broadcasts per mode")
    parser.add_argument("--warmup", type=int, default=1, help="broadcasts per mode before measuring (checked for loss, "
                                                             "not in the latency figures)")
    parser.add_argument("--payload-bytes", type=int, default=200,
                        help="size of the event text each client receives; nonce and origin are padded to reach it")
    parser.add_argument("--gap-ms", type=float, default=50, help="pause between broadcasts")
    parser.add_argument("--pace", choices=["complete", "fixed"], default="complete",
                        help="complete: the next broadcast waits until the last one reached every client, plus the "
                             "gap; fixed: one broadcast every gap, whatever is in flight")
    parser.add_argument("--order", choices=["events-first", "baseline-first"], default="events-first")
    parser.add_argument("--connect-concurrency", type=int, default=100, help="handshakes in flight at once")
    parser.add_argument("--round-timeout", type=float, default=5.0, help="seconds to wait for one broadcast (complete)")
    parser.add_argument("--straggler-timeout", type=float, default=5.0,
                        help="seconds to wait for late messages after the last broadcast before counting them lost")
    parser.add_argument("--per-round", action="store_true", help="also print each broadcast's figures")
    parser.add_argument("--web-gc", choices=["tuned", "off"], default="tuned",
                        help="Daphne's GC: tuned = production's (apps/events/runtime.py), off = CPython's defaults "
                             "(VISIONSPACE_WEB_GC=off)")
    parser.add_argument("--stamp", choices=["frame", "reader"], default="frame",
                        help="frame: timestamp each message as the driver parses it off the socket; reader: when "
                             "a per-client reader coroutine gets it (the driver's scheduling delays included)")
    parser.add_argument("--driver-gc", choices=["off", "on"], default="off",
                        help="off: this driver freezes and disables its own GC while it measures, so that its "
                             "collections do not delay every client's timestamp; on: leave it running")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--clients and --rounds must be at least 1, --warmup at least 0")
    return args


async def drive(cfg: Settings, order: list[str]) -> dict[str, ModeResult]:
    results = {name: await run_mode(name, cfg) for name in order}
    from channels.layers import get_channel_layer

    from apps.events import store

    await get_channel_layer().close_pools()
    client = store.async_client()
    prefix = os.environ["VISIONSPACE_KEY_PREFIX"]
    # Leave nothing behind in a shared Redis (REDIS_URL set): every key of this run has our prefix.
    async for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        await client.delete(key)
    await client.aclose()
    return results


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # so that SIGTERM cleans up like Ctrl-C


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    raise_fd_limit(2 * args.clients + 256)
    signal.signal(signal.SIGTERM, _interrupt)

    run_dir = Path(tempfile.mkdtemp(prefix="vs-bench-"))
    configure_environment(run_dir)
    redis = daphne = None
    try:
        if not os.environ.get("REDIS_URL"):
            from apps.core.embedded_redis import EmbeddedRedis

            redis = EmbeddedRedis(run_dir / "redis.sock").start()
            os.environ["REDIS_URL"] = redis.url
        import django

        django.setup()
        padding = make_padding(args.payload_bytes)
        daphne = Daphne(run_dir, free_port(), web_gc="auto" if args.web_gc == "tuned" else "off").start()
        print(f"daphne pid {daphne.process.pid} on 127.0.0.1:{daphne.port}, redis "
              f"{'embedded' if redis else os.environ['REDIS_URL']}, key prefix {os.environ['VISIONSPACE_KEY_PREFIX']}",
              flush=True)
        cfg = Settings(
            clients=args.clients, rounds=args.rounds, warmup=args.warmup, gap_s=args.gap_ms / 1000,
            pace=args.pace, round_timeout=args.round_timeout, straggler_timeout=args.straggler_timeout,
            concurrency=args.connect_concurrency, per_round=args.per_round, padding=padding, port=daphne.port,
            pids={"daphne": daphne.process.pid, "redis": redis.process.pid if redis else None, "driver": os.getpid()},
            driver_gc=args.driver_gc, stamp=args.stamp,
        )
        cfg.web_gc = args.web_gc
        order = ["events", "baseline"] if args.order == "events-first" else ["baseline", "events"]
        results = asyncio.run(drive(cfg, order))
        if daphne.process.poll() is not None:
            raise RuntimeError(f"daphne died during the run:\n{daphne.log_tail()}")
        result = report(cfg, results["events"], results["baseline"])
        if any(r.lost or r.closed_early for r in results.values()):
            print(f"--- daphne log (tail) ---\n{daphne.log_tail(3000)}")
        print("RESULT " + json.dumps(result), flush=True)
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BaseException:
        if daphne:
            print(f"--- daphne log (tail) ---\n{daphne.log_tail()}", file=sys.stderr)
        raise
    finally:
        if daphne:
            daphne.stop()
        if redis:
            redis.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
