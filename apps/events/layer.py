"""The channel layer: channels-redis, with a receive that always ends when it is cancelled.

redis-py can swallow a cancellation that lands while a blocking command is being sent
(redis/redis-py#2028): the cancelled receive then goes on polling BZPOPMIN every 5 s,
forever, holding a Redis connection. Channels cancels a consumer's receive whenever the
consumer stops, and a socket refused at once (a disallowed Origin, a forbidden group) stops
within a millisecond of starting it — the window that loses the cancellation. Each refused
socket then leaked a task and a connection, and a test's event loop never closed.

So the receive runs in a task of its own, and a cancellation of the caller is passed on to
it until it has really ended. A message that the inner receive took just as it was cancelled
is dropped, as stock Channels drops one for a consumer that is going away: its channel goes
with it.
"""

from __future__ import annotations

import asyncio

from channels_redis.core import RedisChannelLayer as StockRedisChannelLayer

# How long one cancellation of the inner receive is given to take effect before it is sent again.
CANCEL_GRACE_SECONDS = 0.1


class RedisChannelLayer(StockRedisChannelLayer):
    async def receive(self, channel):
        inner = asyncio.ensure_future(super().receive(channel))
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError:
            await receive_cancel(inner)
            raise


async def receive_cancel(inner: asyncio.Future) -> None:
    """Cancel ``inner`` until it is done, even if it swallows a cancellation."""
    cancelled_again = False
    while not inner.done():
        inner.cancel()
        try:
            await asyncio.wait([inner], timeout=CANCEL_GRACE_SECONDS)
        except asyncio.CancelledError:
            cancelled_again = True  # the caller is cancelled anyway: finish the job first
    if not inner.cancelled():
        inner.exception()  # retrieved, so asyncio does not log "exception was never retrieved"
    if cancelled_again:
        raise asyncio.CancelledError
