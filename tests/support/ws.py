"""Websocket helpers for tests: an in-process communicator and a real-network client."""

from __future__ import annotations

import json

from channels.testing import WebsocketCommunicator

from apps.events.schemas import validate_server_message
from visionspace_site.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1")


def communicator(path: str, *, origin: tuple[bytes, bytes] | None = ORIGIN, cookie: str | None = None) -> WebsocketCommunicator:
    headers = [(b"host", b"127.0.0.1")]
    if origin:
        headers.append(origin)
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def receive(comm: WebsocketCommunicator, timeout: float = 3) -> dict:
    """Next message, checked against the documented protocol (docs/events.md)."""
    message = json.loads(await comm.receive_from(timeout=timeout))
    validate_server_message(message)
    return message


async def receive_events(comm: WebsocketCommunicator, count: int, timeout: float = 3) -> list[dict]:
    events = []
    while len(events) < count:
        message = await receive(comm, timeout)
        if "seq" in message and message["type"] not in {"hello", "resumed", "reset"}:
            events.append(message)
    return events
