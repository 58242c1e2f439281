"""Helpers for the voice websocket tests: connect, send speech, read until a message arrives."""

from __future__ import annotations

import json
import time

import numpy as np
from channels.db import database_sync_to_async

from tests.support.speech import frames
from tests.support.users import session_cookie
from tests.support.ws import communicator


async def cookie_for(user) -> str:
    return await database_sync_to_async(session_cookie)(user)


async def voice_connect(slug: str, *, cookie: str | None, **kwargs):
    comm = communicator(f"/ws/voice/{slug}/", cookie=cookie, **kwargs)
    connected, _ = await comm.connect(timeout=10)
    assert connected
    return comm


async def next_json(comm, timeout: float = 10) -> dict:
    return json.loads(await comm.receive_from(timeout=timeout))


async def until(comm, kinds: set[str], timeout: float = 30) -> tuple[dict, list[dict]]:
    """Messages until one whose type is in ``kinds`` (returned) within a deadline; the ones before it too."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {kinds} within {timeout} s; saw {seen}"
        message = await next_json(comm, timeout=remaining)
        if message["type"] in kinds:
            return message, seen
        seen.append(message)


async def closed_with(comm, timeout: float = 10) -> int:
    """Read past any text messages to the close; its code."""
    deadline = time.monotonic() + timeout
    while True:
        output = await comm.receive_output(timeout=max(0.01, deadline - time.monotonic()))
        if output["type"] == "websocket.close":
            return output.get("code")


async def send_audio(comm, samples: np.ndarray, *, frame_ms: int = 20) -> None:
    for frame in frames(samples, frame_ms=frame_ms):
        await comm.send_to(bytes_data=frame)


async def send_json(comm, message: dict) -> None:
    await comm.send_to(text_data=json.dumps(message))
