"""The event websocket: ``/ws/events/<group>/``.

The client gets ``hello`` (the group's newest seq and epoch), then every event after it,
exactly once and in seq order, however publishers on other processes race: an event
that arrives ahead of its predecessors makes the consumer read the gap from the log
first, and anything at or below the last seq sent is dropped. ``resume`` replays from
the log. Protocol: docs/events.md.

Live events reach the socket through the process's hub (fanout.py), not through a
channel-layer channel of its own: the hub calls :meth:`EventStreamConsumer.offer` for
each event. ``offer`` sends at once when the event is the next one and nothing else is
in progress (the common case, no await but the socket write); otherwise it queues the
event for the socket's *catch-up*, which runs in a task of its own, reads gaps from the
log and keeps the order. Only one catch-up or resume runs per socket at a time.

Backpressure: Daphne's send is a buffered write that never waits for the client. When a
socket's unsent bytes pass Twisted's write buffer (64 KiB) Twisted pauses us (the
producer API): the socket stops taking live events and, once its buffer has drained,
catches up from the log. A slow client costs the others nothing and the server at most
its write buffer plus a bounded queue of references; a client that stops reading
altogether is closed by Daphne's ping timeout, reconnects and resumes.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import weakref
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.sessions import InstanceSessionWrapper
from django.conf import settings

from . import envelope, fanout, store
from .access import group_allows, is_valid_group
from .metrics import EVENTS_REPLAYED, SOCKETS_BACKED_UP, WEBSOCKET_CLIENTS, WEBSOCKET_REFUSED

log = logging.getLogger(__name__)

MAX_CLIENT_MESSAGE = 4096
# Live events queued for one socket while it catches up (references to the hub's
# messages, shared by every socket). Past this the queue is dropped and the socket reads
# what it missed from the log instead: memory per slow socket stays bounded.
PENDING_LIMIT = 1000

# Close codes (4000-4999 are the application's): see docs/events.md.
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_UNSUPPORTED = 1003
CLOSE_TOO_LARGE = 1009
CLOSE_SERVER_ERROR = 1011


def _server_send(send):
    """The ASGI server's own ``send`` under Channels' session wrapper, which passes
    ``websocket.send`` messages through untouched (it acts on ``http.response.start`` only)."""
    while isinstance(getattr(send, "__self__", None), InstanceSessionWrapper):
        send = send.__self__.real_send
    return send


def _daphne_transport(send):
    """Daphne passes ``partial(server.handle_reply, protocol)`` as ``send``; the protocol's
    transport is Twisted's TCP transport, whose producer API tells when its write buffer
    is full. None under other servers (then nothing watches the buffer)."""
    if isinstance(send, functools.partial) and send.args:
        transport = getattr(send.args[0], "transport", None)
        if callable(getattr(transport, "registerProducer", None)):
            return transport
    return None


class _SocketWatch:
    """A Twisted push producer standing for our live events to one socket.

    A transport has one producer. Daphne's upgraded sockets still carry the producer of
    the HTTP connection they started as (Twisted's HTTPChannel, which stops reading from a
    client whose write buffer is full): we take its place and pass every call on to it, so
    that what it did goes on as before."""

    __slots__ = ("consumer", "previous")

    def __init__(self, consumer: "EventStreamConsumer", previous) -> None:
        self.consumer = weakref.ref(consumer)
        self.previous = previous

    def pauseProducing(self) -> None:  # noqa: N802  (Twisted's names)
        consumer = self.consumer()
        if consumer is not None:
            consumer.socket_backed_up()
        if self.previous is not None:
            self.previous.pauseProducing()

    def resumeProducing(self) -> None:  # noqa: N802
        consumer = self.consumer()
        if consumer is not None:
            consumer.socket_drained()
        if self.previous is not None:
            self.previous.resumeProducing()

    def stopProducing(self) -> None:  # noqa: N802
        if self.previous is not None:
            self.previous.stopProducing()


class EventStreamConsumer(AsyncWebsocketConsumer):
    # No channel-layer channel per socket: live events come from the process's hub.
    # (get_channel_layer returns None for an alias that is not configured.)
    channel_layer_alias = None

    group: str = ""
    last_seq: int = 0
    epoch: str = ""
    joined: bool = False  # accepted into the group (counted in WEBSOCKET_CLIENTS)
    heartbeat_task: asyncio.Task | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._hub: fanout.Hub | None = None
        self._subscribed = False  # holds a hub reference for self.group (release it once)
        self._live = False  # attached: the hub offers us events
        self._busy = False  # a catch-up or resume owns the socket's order: queue live events
        self._paused = False  # the socket's write buffer is full: queue live events
        self._overflow = False  # the queue was dropped: read what was missed from the log
        self._pending: deque[dict] = deque()
        self._owner = asyncio.Lock()
        self._catch_up_task: asyncio.Task | None = None
        self._send_frame = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._leave()  # also when Daphne cancels us: nothing may stay subscribed

    async def connect(self) -> None:
        self.group = self.scope["url_route"]["kwargs"]["group"]
        user = self.scope.get("user")
        if not is_valid_group(self.group):
            await self._refuse("not_found", f"No such group: {self.group[:100]!r}.", CLOSE_NOT_FOUND)
            return
        if not await database_sync_to_async(group_allows)(user, self.group, self.scope):
            await self._refuse("forbidden", "You may not watch this group: sign in with an account that can.", CLOSE_FORBIDDEN)
            return
        # Subscribe before reading the head, so that no event falls between the two.
        self._hub = await fanout.hub()
        self._subscribed = True
        await self._hub.subscribe(self.group)
        current = await store.ahead(self.group)
        self.last_seq, self.epoch = current.seq, current.epoch
        await self.accept()
        self.joined = True
        WEBSOCKET_CLIENTS.inc()
        self._send_frame = _server_send(self.base_send)
        self._watch_socket()
        await self.send(
            text_data=envelope.control(
                "hello",
                group=self.group,
                seq=self.last_seq,
                epoch=self.epoch,
                heartbeat_s=settings.EVENTS_HEARTBEAT_SECONDS,
            )
        )
        latest = self._hub.attach(self.group, self)
        self._live = True
        if latest is not None and (latest[1] != self.epoch or latest[0] > self.last_seq):
            # The hub dispatched events between our head read and now: take them from the log.
            self._overflow = True
            self._start_catch_up()
        self.heartbeat_task = asyncio.ensure_future(self._heartbeat())

    def _watch_socket(self) -> None:
        transport = _daphne_transport(self._send_frame)
        if transport is None:
            return
        previous = getattr(transport, "producer", None)
        if previous is not None and not getattr(transport, "streamingProducer", False):
            return  # a pull producer we do not know how to share with
        try:
            if previous is not None:
                transport.unregisterProducer()
            transport.registerProducer(_SocketWatch(self, previous), True)
        except Exception:
            log.warning("events: cannot watch a socket's write buffer", exc_info=True)

    async def _refuse(self, code: str, message: str, close_code: int) -> None:
        # Accept first so that the client can read why; a bare refusal is an opaque 403.
        WEBSOCKET_REFUSED.labels(reason=code).inc()
        await self.accept()
        await self.send(text_data=envelope.control("error", code=code, message=message))
        await self.close(code=close_code)

    async def disconnect(self, code: int) -> None:
        self._leave()

    def _leave(self) -> None:
        """Synchronous and idempotent: stop tasks, leave the hub (the last socket of the
        group on this process makes the hub unsubscribe from the channel layer)."""
        self._live = False
        self._pending.clear()
        for task in (self.heartbeat_task, self._catch_up_task):
            if task is not None and not task.done():
                task.cancel()
        if self._subscribed:
            self._subscribed = False
            self._hub.release(self.group, self)
        if self.joined:
            self.joined = False
            WEBSOCKET_CLIENTS.dec()

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(settings.EVENTS_HEARTBEAT_SECONDS)
            await self.send(text_data=envelope.control("heartbeat", ts=envelope.now_iso(), last_seq=self.last_seq))

    # --- client to server ------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.joined:
            return
        if bytes_data is not None:
            await self._error("bad_message", "This socket takes JSON text messages only.")
            await self.close(code=CLOSE_UNSUPPORTED)
            return
        if len(text_data) > MAX_CLIENT_MESSAGE:
            await self._error("too_large", f"Messages are limited to {MAX_CLIENT_MESSAGE} bytes.")
            await self.close(code=CLOSE_TOO_LARGE)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self._error("bad_json", "That was not JSON: send an object such as {\"type\": \"ping\"}.")
            return
        if not isinstance(message, dict):
            await self._error("bad_message", "Send a JSON object with a \"type\".")
            return
        kind = message.get("type")
        if kind == "ping":
            nonce = message.get("nonce")
            fields = {"nonce": nonce} if isinstance(nonce, str) and len(nonce) <= 64 else {}
            await self.send(text_data=envelope.control("pong", **fields))
        elif kind == "resume":
            after = message.get("after")
            if not isinstance(after, int) or isinstance(after, bool) or after < 0:
                await self._error("bad_message", "resume needs \"after\": the last seq you received (0 for none).")
                return
            epoch = message.get("epoch")
            await self._resume(after, epoch if isinstance(epoch, str) else None)
        else:
            await self._error("unknown_type", "Known message types: ping, resume.")

    async def _error(self, code: str, message: str) -> None:
        await self.send(text_data=envelope.control("error", code=code, message=message))

    async def _resume(self, after: int, epoch: str | None) -> None:
        self._busy = True  # live events wait in the queue until the replay is out
        async with self._owner:
            self._busy = True
            try:
                await self._resume_owned(after, epoch)
            except BaseException:
                self._busy = False  # cancelled or failed: the socket is going away
                raise
            await self._drain()

    async def _resume_owned(self, after: int, epoch: str | None) -> None:
        current = await store.ahead(self.group)
        self.epoch = current.epoch
        if (epoch and current.epoch and epoch != current.epoch) or after > current.seq:
            await self._reset("epoch_changed" if epoch and epoch != current.epoch else "ahead", current)
            return
        self.last_seq = after
        replayed = await self._replay(until=None)
        if replayed is None:
            await self._reset("expired", await store.ahead(self.group))
            return
        await self.send(
            text_data=envelope.control("resumed", after=after, replayed=replayed, seq=self.last_seq)
        )

    async def _reset(self, reason: str, current: store.Head) -> None:
        self.last_seq, self.epoch = current.seq, current.epoch
        await self.send(text_data=envelope.control("reset", reason=reason, seq=current.seq, epoch=current.epoch))

    async def _replay(self, *, until: int | None, pausable: bool = False) -> int | None:
        """Send events after ``last_seq`` (up to ``until``) from the log; None if some are gone.

        ``pausable``: stop when the socket backs up (``_overflow`` then says: more to read)."""
        sent = 0
        while True:
            if pausable and self._paused:
                self._overflow = True
                return sent
            entries = await store.aread(self.group, after=self.last_seq, until=until)
            if not entries:
                return sent
            if entries[0].seq != self.last_seq + 1:
                return None
            for entry in entries:
                await self.send(text_data=envelope.with_seq(entry.seq, entry.body))
                self.last_seq = entry.seq
                sent += 1
            EVENTS_REPLAYED.inc(len(entries))
            if until is not None and self.last_seq >= until:
                return sent

    # --- live events (from the hub) ---------------------------------------------------

    def offer(self, message: dict, frame: dict):
        """Called by the hub for each live event. Returns the socket write to await, or None.

        Sends at once when this is the next event and nothing is queued ahead of it;
        anything else (a gap, an epoch change, a catch-up or resume in progress, a full
        write buffer) goes through the queue and the catch-up task, in order."""
        if not self._live:
            return None
        if self._busy or self._paused:
            self._defer(message)
            return None
        seq, epoch = message["seq"], message["epoch"]
        if epoch == self.epoch or not self.epoch:
            if seq == self.last_seq + 1:
                self.epoch = epoch
                self.last_seq = seq
                return self._send_frame(frame)
            if seq <= self.last_seq and epoch == self.epoch:
                return None  # already sent (replayed, or delivered twice)
        self._defer(message)
        self._start_catch_up()
        return None

    # Kept for code (and tests) that hand an event to one consumer directly.
    async def events_deliver(self, message: dict) -> None:
        pending = self.offer(message, {"type": "websocket.send", "text": message["text"]})
        if pending is not None:
            await pending

    def _defer(self, message: dict) -> None:
        if self._overflow:
            return  # the catch-up reads from the log anyway
        if len(self._pending) >= PENDING_LIMIT:
            self._pending.clear()
            self._overflow = True
            return
        self._pending.append(message)

    def _start_catch_up(self) -> None:
        self._busy = True
        if self._catch_up_task is None or self._catch_up_task.done():
            self._catch_up_task = asyncio.ensure_future(self._catch_up())

    async def _catch_up(self) -> None:
        try:
            async with self._owner:
                self._busy = True
                await self._drain()
        except asyncio.CancelledError:
            raise
        except Exception:
            # The log is out of reach (Redis): let the client reconnect and resume.
            log.warning("events: catch-up failed for a socket on %s; closing it", self.group, exc_info=True)
            self._busy = False
            self._live = False
            await self.close(code=CLOSE_SERVER_ERROR)

    async def _drain(self) -> None:
        """Owner only (holds ``_owner``): send what is queued, in order, reading gaps from the log."""
        try:
            while self._live and not self._paused:
                if self._overflow:
                    self._overflow = False
                    self._pending.clear()
                    await self._catch_up_from_log()
                elif self._pending:
                    await self._apply(self._pending.popleft())
                else:
                    break
        finally:
            self._busy = False

    async def _catch_up_from_log(self) -> None:
        head = await store.ahead(self.group)
        if self.epoch and head.epoch and head.epoch != self.epoch:
            await self._reset("epoch_changed", head)
            return
        if not self.epoch:
            self.epoch = head.epoch
        if head.seq <= self.last_seq:
            return
        if await self._replay(until=head.seq, pausable=True) is None:
            await self._reset("expired", await store.ahead(self.group))

    async def _apply(self, message: dict) -> None:
        seq, epoch = message["seq"], message["epoch"]
        if not self.epoch:
            self.epoch = epoch  # the group's first event: its log was born after we joined
        elif epoch != self.epoch:
            # The log was lost and restarted: what the client holds is stale.
            await self._reset("epoch_changed", store.Head(seq=seq - 1, epoch=epoch))
        if seq <= self.last_seq:
            return
        if seq > self.last_seq + 1:
            if await self._replay(until=seq - 1, pausable=True) is None:
                await self._reset("expired", store.Head(seq=seq - 1, epoch=epoch))
            elif self._overflow:
                return  # backed up mid-gap: the rest, this event included, comes from the log
        await self.send(text_data=message["text"])
        self.last_seq = seq

    # --- the socket's write buffer (Daphne/Twisted) ------------------------------------

    def socket_backed_up(self) -> None:
        if not self._paused:
            self._paused = True
            SOCKETS_BACKED_UP.inc()

    def socket_drained(self) -> None:
        self._paused = False
        if self._live and (self._pending or self._overflow):
            self._start_catch_up()
