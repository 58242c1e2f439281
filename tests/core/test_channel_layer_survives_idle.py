"""A websocket consumer idles on the channel layer between events. channels-redis blocks 5 s
per receive and redis-py 8 drops a read after 5 s unless told otherwise: our settings must let
a receive wait out a quiet spell (regression: every idle receive raised TimeoutError at 5 s)."""

import asyncio
import time

import pytest
from channels.layers import get_channel_layer


@pytest.mark.asyncio
async def test_a_receive_outlasts_a_quiet_spell_longer_than_the_blocking_read():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    quiet_s = 6.5  # longer than channels-redis' 5 s BZPOPMIN and redis-py's 5 s default read timeout
    loop = asyncio.get_running_loop()
    loop.call_later(quiet_s, lambda: asyncio.ensure_future(layer.send(channel, {"type": "wake.up"})))
    started = time.monotonic()
    message = await asyncio.wait_for(layer.receive(channel), timeout=quiet_s + 10)
    assert message == {"type": "wake.up"}
    assert time.monotonic() - started >= quiet_s
