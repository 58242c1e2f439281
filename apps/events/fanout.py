"""Process-local fan-out: one channel-layer subscription per process and group.

Stock Channels puts every websocket in the channel layer's group itself, so a broadcast
to 1,000 sockets on one process is 1,000 channel-layer messages, each waking its own
consumer (tasks, ``asyncio.wait``, lock hand-offs): at 1,000 sockets that machinery was
most of the web process's CPU (docs/benchmarks.md, "ws_broadcast").

Here each process has one :class:`Hub` (per event loop) with one process-specific
channel. The first local socket of a group adds that channel to the group; the last one
to leave removes it. Every event that arrives on the channel is handed, in a plain loop,
to each local member of its group (``member.offer(message, frame)``), which keeps its own
``seq``/epoch/gap state: exactly-once and in order stay per client, exactly as before.

Rules the members rely on:

* ``offer`` is synchronous bookkeeping; it returns the awaitable of the socket write or
  ``None``. Daphne's ``send`` is a buffered write that never waits for the network, so
  one slow client cannot hold up the loop. (A member whose socket is backed up stops
  taking live events and catches up from the log later: see consumers.py.)
* The hub keeps the newest (seq, epoch) it dispatched per group: it drops an event it
  already dispatched, and fills a gap (an event ahead of its predecessors) from the log
  once for all its sockets, in order. Sockets still check seq themselves.
* Leaving (:meth:`Hub.release`) is synchronous, so it also runs from ``finally`` blocks
  of cancelled consumers; the channel-layer ``group_discard`` runs in a task the hub owns.
* When a process has no member left in any group, the reader task stops and the hub is
  dropped: nothing keeps running for a process without event sockets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from typing import Awaitable, Protocol

from channels.layers import get_channel_layer

from . import envelope, store
from .metrics import EVENTS_REPLAYED, HUB_GROUPS

log = logging.getLogger(__name__)

DELIVER = "events.deliver"
CHANNEL_PREFIX = "events-hub"
# channels-redis forgets group members older than its group_expiry (a day by default),
# whereas the hub's subscription lives as long as any local socket of the group: re-add it.
REFRESH_SECONDS = 300
# Sockets served between two yields to the event loop within one broadcast, so that
# Twisted writes the first sockets' bytes while the loop serves the rest, and other work
# (handshakes, heartbeats) is not held for a whole 1,000-socket broadcast.
YIELD_EVERY = 64


class Member(Protocol):
    def offer(self, message: dict, frame: dict) -> Awaitable[None] | None: ...


class _Group:
    __slots__ = ("members", "refs", "subscribed", "lock", "latest")

    def __init__(self) -> None:
        self.members: dict[Member, None] = {}  # insertion-ordered set
        self.refs = 0  # subscribe() calls not yet released (members, or sockets still connecting)
        self.subscribed = False  # our channel is in the channel-layer group
        self.lock = asyncio.Lock()  # orders group_add / group_discard of this group
        self.latest: tuple[int, str] | None = None  # (seq, epoch) of the newest event dispatched


class Hub:
    def __init__(self, layer, channel: str) -> None:
        self.layer = layer
        self.channel = channel
        self.groups: dict[str, _Group] = {}
        self._reader: asyncio.Task | None = None
        self._refresher: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self.closed = False

    # --- membership --------------------------------------------------------------------

    async def subscribe(self, group: str) -> None:
        """Make sure this process receives ``group``'s events. Pair with :meth:`release`,
        also when this raises or is cancelled (the reference is taken before any await)."""
        state = self.groups.get(group)
        if state is None:
            state = self.groups[group] = _Group()
            HUB_GROUPS.inc()
        state.refs += 1
        self._start()
        async with state.lock:
            if not state.subscribed and state.refs > 0:
                await self.layer.group_add(group, self.channel)
                state.subscribed = True

    def attach(self, group: str, member: Member) -> tuple[int, str] | None:
        """Start handing ``group``'s live events to ``member`` (after subscribe). Returns the
        newest (seq, epoch) already dispatched, which the member may have to catch up to."""
        state = self.groups[group]
        state.members[member] = None
        return state.latest

    def release(self, group: str, member: Member | None = None) -> None:
        """Drop one subscribe() reference (and the member). Synchronous: safe in ``finally``."""
        state = self.groups.get(group)
        if state is None:
            return
        if member is not None:
            state.members.pop(member, None)
        state.refs -= 1
        if state.refs <= 0:
            self._spawn(self._unsubscribe(group, state))

    def members(self, group: str) -> list[Member]:
        state = self.groups.get(group)
        return list(state.members) if state else []

    async def _unsubscribe(self, group: str, state: _Group) -> None:
        async with state.lock:
            if state.refs > 0:
                return  # someone joined again meanwhile
            if state.subscribed:
                state.subscribed = False
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:
                    # The entry expires with the group (channels-redis group_expiry); until
                    # then events for it reach this process and are dropped here.
                    log.warning("events: could not leave channel-layer group %s", group, exc_info=True)
            if self.groups.get(group) is state and state.refs <= 0:
                del self.groups[group]
                HUB_GROUPS.dec()
        if not self.groups:
            self._stop()

    # --- tasks -------------------------------------------------------------------------

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _start(self) -> None:
        if self.closed:  # stopped, then joined again by a socket that already held it
            self.closed = False
            _hubs.setdefault(asyncio.get_running_loop(), self)
        if self._reader is None:
            self._reader = asyncio.ensure_future(self._read())
            self._refresher = asyncio.ensure_future(self._refresh())

    def _stop(self) -> None:
        """No group left: stop reading and forget this hub (a new one starts with the next socket)."""
        for task in (self._reader, self._refresher):
            if task is not None:
                task.cancel()
        self._reader = self._refresher = None
        self.closed = True
        loop = asyncio.get_running_loop()
        if _hubs.get(loop) is self:
            del _hubs[loop]

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis away: members fill the gap from the log when events flow again.
                log.warning("events: hub receive failed; retrying in 1 s", exc_info=True)
                await asyncio.sleep(1)
                continue
            try:
                await self.dispatch(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("events: dispatch failed")

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            for group, state in list(self.groups.items()):
                async with state.lock:
                    if state.subscribed:
                        try:
                            await self.layer.group_add(group, self.channel)
                        except Exception:
                            log.warning("events: could not refresh group %s", group, exc_info=True)

    # --- delivery ----------------------------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        if message.get("type") != DELIVER:
            log.warning("events: hub ignored a %r message", message.get("type"))
            return
        group = message.get("group") or _group_of(message["text"])
        state = self.groups.get(group)
        if state is None:
            return  # the last local socket left while the event was on its way
        seq, epoch = message["seq"], message["epoch"]
        latest = state.latest
        if latest is not None and epoch == latest[1]:
            if seq <= latest[0]:
                return  # already dispatched (read from the log to fill a gap): every socket has it
            if seq > latest[0] + 1:
                # Events missing: a publisher on another process not there yet, or the
                # channel layer dropped some. Read them from the log once for every socket
                # here, instead of each socket finding the same gap.
                await self._fill(group, state, after=latest[0], until=seq - 1, epoch=epoch)
                state = self.groups.get(group)
                if state is None:
                    return
        state.latest = (seq, epoch)
        await self._deliver(state, message)

    async def _fill(self, group: str, state: _Group, *, after: int, until: int, epoch: str) -> None:
        try:
            entries = await store.aread(group, after=after, until=until)
        except Exception:
            log.warning("events: hub could not read a gap of %s; sockets will", group, exc_info=True)
            return
        for entry in entries:
            if entry.seq != state.latest[0] + 1:
                return  # trimmed from the log: the sockets see the gap and reset
            state.latest = (entry.seq, epoch)
            await self._deliver(state, {"type": DELIVER, "group": group, "seq": entry.seq, "epoch": epoch,
                                        "text": envelope.with_seq(entry.seq, entry.body)})
        EVENTS_REPLAYED.inc(len(entries))

    async def _deliver(self, state: _Group, message: dict) -> None:
        frame = {"type": "websocket.send", "text": message["text"]}  # shared by every socket
        members = tuple(state.members)
        for index, member in enumerate(members, 1):
            try:
                pending = member.offer(message, frame)
                if pending is not None:
                    await pending
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("events: delivery to one socket failed")
            if index % YIELD_EVERY == 0:
                await asyncio.sleep(0)


def _group_of(text: str) -> str:
    """Events published by code that predates the "group" field carry it in the envelope."""
    try:
        return json.loads(text)["group"]
    except (ValueError, KeyError, TypeError):
        return ""


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


async def hub() -> Hub:
    """The running loop's hub (one per Daphne process), created on first use."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(loop)
    if current is None:
        layer = get_channel_layer()
        channel = await layer.new_channel(prefix=CHANNEL_PREFIX)
        current = _hubs.get(loop)  # another socket may have created it meanwhile
        if current is None:
            current = _hubs[loop] = Hub(layer, channel)
    return current


def current_hub() -> Hub | None:
    """The running loop's hub if there is one (tests, diagnostics)."""
    try:
        return _hubs.get(asyncio.get_running_loop())
    except RuntimeError:
        return None
