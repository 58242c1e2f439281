"""The event log in Redis: a per-group sequence number and a capped stream of events.

Keys (``P`` is settings.KEY_PREFIX):

* ``P:ev:<group>:head`` hash ``{seq, epoch}``. ``epoch`` is chosen when the group's
  first event is written; a Redis that lost its data starts a new epoch, which tells
  resuming clients that their ``seq`` means nothing any more.
* ``P:ev:<group>:log`` stream; entry id ``0-<seq>``, field ``e`` the event body.

One Lua script bumps the sequence and appends to the stream atomically, so an event
with ``seq`` N is always readable from the log before anyone can be told about it.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import weakref
from dataclasses import dataclass

import redis
import redis.asyncio as aioredis
from django.conf import settings

APPEND_LUA = """
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'e', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return {seq, epoch}
"""

REPLAY_BATCH = 500


@dataclass(frozen=True)
class Head:
    seq: int
    epoch: str


@dataclass(frozen=True)
class Stored:
    seq: int
    body: str


def _keys(group: str) -> tuple[str, str]:
    base = f"{settings.KEY_PREFIX}:ev:{group}"
    return f"{base}:head", f"{base}:log"


def _append_args(body: str) -> list:
    return [body, settings.EVENTS_RETAIN, secrets.token_hex(8), settings.EVENTS_TTL_SECONDS]


def _head(raw: dict) -> Head:
    return Head(seq=int(raw.get(b"seq", 0)), epoch=(raw.get(b"epoch") or b"").decode())


def _entries(raw: list) -> list[Stored]:
    return [Stored(seq=int(entry_id.split(b"-")[1]), body=fields[b"e"].decode()) for entry_id, fields in raw]


_sync_lock = threading.Lock()
_sync_client: redis.Redis | None = None
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis]" = weakref.WeakKeyDictionary()


def sync_client() -> redis.Redis:
    global _sync_client
    with _sync_lock:
        if _sync_client is None:
            _sync_client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, health_check_interval=30)
        return _sync_client


def async_client() -> aioredis.Redis:
    """One client per event loop: redis.asyncio connections belong to the loop that made them."""
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        client = aioredis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=5,
            max_connections=settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["max_connections"],
        )
        _async_clients[loop] = client
    return client


def _range(after: int, until: int | None) -> tuple[str, str]:
    return f"0-{after + 1}", ("+" if until is None else f"0-{until}")


# --- sync ----------------------------------------------------------------------------


def append(group: str, body: str) -> Head:
    head_key, log_key = _keys(group)
    seq, epoch = sync_client().eval(APPEND_LUA, 2, head_key, log_key, *_append_args(body))
    return Head(seq=int(seq), epoch=epoch.decode())


def head(group: str) -> Head:
    return _head(sync_client().hgetall(_keys(group)[0]))


def read(group: str, *, after: int, until: int | None = None) -> list[Stored]:
    start, end = _range(after, until)
    return _entries(sync_client().xrange(_keys(group)[1], start, end))


# --- async ---------------------------------------------------------------------------


async def aappend(group: str, body: str) -> Head:
    head_key, log_key = _keys(group)
    seq, epoch = await async_client().eval(APPEND_LUA, 2, head_key, log_key, *_append_args(body))
    return Head(seq=int(seq), epoch=epoch.decode())


async def ahead(group: str) -> Head:
    return _head(await async_client().hgetall(_keys(group)[0]))


async def aread(group: str, *, after: int, until: int | None = None, count: int = REPLAY_BATCH) -> list[Stored]:
    start, end = _range(after, until)
    return _entries(await async_client().xrange(_keys(group)[1], start, end, count=count))


async def aoldest(group: str) -> int | None:
    """The oldest seq still kept, or None when the log is empty."""
    first = await async_client().xrange(_keys(group)[1], "-", "+", count=1)
    return _entries(first)[0].seq if first else None
