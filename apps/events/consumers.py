"""The event websocket: ``/ws/events/<group>/``.

The client gets ``hello`` (the group's newest seq and epoch), then every event after it,
exactly once and in seq order, however publishers on other processes race: an event
that arrives ahead of its predecessors makes the consumer read the gap from the log
first, and anything at or below the last seq sent is dropped. ``resume`` replays from
the log. Protocol: docs/events.md.
"""

from __future__ import annotations

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from . import envelope, store
from .access import group_allows, is_valid_group
from .metrics import EVENTS_REPLAYED, WEBSOCKET_CLIENTS, WEBSOCKET_REFUSED

MAX_CLIENT_MESSAGE = 4096

# Close codes (4000-4999 are the application's): see docs/events.md.
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_UNSUPPORTED = 1003
CLOSE_TOO_LARGE = 1009


class EventStreamConsumer(AsyncWebsocketConsumer):
    group: str = ""
    last_seq: int = 0
    epoch: str = ""
    joined: bool = False
    heartbeat_task: asyncio.Task | None = None

    async def connect(self) -> None:
        self.group = self.scope["url_route"]["kwargs"]["group"]
        user = self.scope.get("user")
        if not is_valid_group(self.group):
            await self._refuse("not_found", f"No such group: {self.group[:100]!r}.", CLOSE_NOT_FOUND)
            return
        if not await database_sync_to_async(group_allows)(user, self.group, self.scope):
            await self._refuse("forbidden", "You may not watch this group: sign in with an account that can.", CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        current = await store.ahead(self.group)
        self.last_seq, self.epoch = current.seq, current.epoch
        await self.accept()
        WEBSOCKET_CLIENTS.inc()
        await self.send(
            text_data=envelope.control(
                "hello",
                group=self.group,
                seq=self.last_seq,
                epoch=self.epoch,
                heartbeat_s=settings.EVENTS_HEARTBEAT_SECONDS,
            )
        )
        self.heartbeat_task = asyncio.ensure_future(self._heartbeat())

    async def _refuse(self, code: str, message: str, close_code: int) -> None:
        # Accept first so that the client can read why; a bare refusal is an opaque 403.
        WEBSOCKET_REFUSED.labels(reason=code).inc()
        await self.accept()
        await self.send(text_data=envelope.control("error", code=code, message=message))
        await self.close(code=close_code)

    async def disconnect(self, code: int) -> None:
        if self.heartbeat_task:
            self.heartbeat_task.cancel()
        if self.joined:
            WEBSOCKET_CLIENTS.dec()
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.joined = False

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

    async def _replay(self, *, until: int | None) -> int | None:
        """Send events after ``last_seq`` (up to ``until``) from the log; None if some are gone."""
        sent = 0
        while True:
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

    # --- channel layer to client -----------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        # Channels closes stale database connections before every message (a hop to the
        # sync thread and back); delivery never touches the ORM, and at 1,000 sockets per
        # broadcast that hop was a third of the web process's CPU (docs/benchmarks.md).
        if message["type"] == "events.deliver":
            await self.events_deliver(message)
        else:
            await super().dispatch(message)

    async def events_deliver(self, message: dict) -> None:
        seq, epoch = message["seq"], message["epoch"]
        if not self.epoch:
            self.epoch = epoch  # the group's first event: its log was born after we joined
        elif epoch != self.epoch:
            # The log was lost and restarted: what the client holds is stale.
            await self._reset("epoch_changed", store.Head(seq=seq - 1, epoch=epoch))
        if seq <= self.last_seq:
            return
        if seq > self.last_seq + 1:
            if await self._replay(until=seq - 1) is None:
                await self._reset("expired", store.Head(seq=seq - 1, epoch=epoch))
        await self.send(text_data=message["text"])
        self.last_seq = seq
