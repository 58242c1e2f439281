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


class NetworkClient:
    """A real websocket client over TCP (the `websockets` library), for servers in other processes."""

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    async def open(cls, host: str, group: str, *, cookie: str | None = None, origin: str | None = None) -> "NetworkClient":
        from websockets.asyncio.client import connect

        headers = {"Cookie": cookie} if cookie else {}
        connection = await connect(
            f"ws://{host}/ws/events/{group}/", origin=origin or f"http://{host}", additional_headers=headers, open_timeout=10
        )
        return cls(connection)

    async def receive(self, timeout: float = 10) -> dict:
        import asyncio

        message = json.loads(await asyncio.wait_for(self.connection.recv(), timeout))
        validate_server_message(message)
        return message

    async def receive_events(self, count: int, timeout: float = 10) -> list[dict]:
        events = []
        while len(events) < count:
            message = await self.receive(timeout)
            if "seq" in message and message["type"] not in {"hello", "resumed", "reset"}:
                events.append(message)
        return events

    async def send(self, message: dict) -> None:
        await self.connection.send(json.dumps(message))

    async def close(self) -> None:
        await self.connection.close()
