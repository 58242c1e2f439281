"""Publishing events: append to the group's log (gets a seq), then fan out live.

Callable from sync code (views, Celery tasks, management commands) and from async code
(consumers) alike: use ``event_publish`` in the first, ``event_apublish`` in the second.
"""

from __future__ import annotations

from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from . import envelope, store
from .access import is_valid_group
from .metrics import EVENTS_PUBLISHED
from .schemas import validate_payload

DELIVER = "events.deliver"


@dataclass(frozen=True)
class Published:
    group: str
    seq: int
    epoch: str
    text: str


def _prepare(group: str, type: str, payload: dict) -> str:
    if not is_valid_group(group):
        raise ValueError(f"Group name {group!r} is not valid: use letters, digits, '-', '_' and '.'.")
    validate_payload(type, payload)
    return envelope.body(group=group, type=type, payload=payload)


def _message(published: Published) -> dict:
    # Sent to the group: in each web process, the hub (fanout.py) receives it once and
    # hands it to that process's sockets of the group.
    return {
        "type": DELIVER,
        "group": published.group,
        "seq": published.seq,
        "epoch": published.epoch,
        "text": published.text,
    }


def event_publish(*, group: str, type: str, payload: dict) -> Published:
    body = _prepare(group, type, payload)
    head = store.append(group, body)
    published = Published(group=group, seq=head.seq, epoch=head.epoch, text=envelope.with_seq(head.seq, body))
    async_to_sync(get_channel_layer().group_send)(group, _message(published))
    EVENTS_PUBLISHED.labels(type=type).inc()
    return published


async def event_apublish(*, group: str, type: str, payload: dict) -> Published:
    body = _prepare(group, type, payload)
    head = await store.aappend(group, body)
    published = Published(group=group, seq=head.seq, epoch=head.epoch, text=envelope.with_seq(head.seq, body))
    await get_channel_layer().group_send(group, _message(published))
    EVENTS_PUBLISHED.labels(type=type).inc()
    return published
