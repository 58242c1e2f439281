"""The ASGI application ``bench/ws_broadcast.py`` serves with Daphne.

Two websocket routes behind the same Origin check and session/auth middleware as
``visionspace_site.asgi``:

* ``ws/events/<group>/``: our ``EventStreamConsumer`` as production runs it (the
  process's hub fan-out, seq, log, gap fill; apps/events/fanout.py).
* ``ws/plain/<group>/``: the baseline. A bare Channels consumer that joins the group and
  forwards ``message["text"]`` as it is: what stock Channels costs with no seq and no
  log (one channel-layer channel per socket, as Channels does it).

HTTP: ``GET /bench/stats?since=N`` answers this process's GC collections (count, longest and
total pause per generation, recorded with ``gc.callbacks``; ``since``: only those after the first N; ``pauses``: N now), GC settings and RSS, for the
driver to read before and after each mode; anything else goes to Django as in production.
The GC settings are production's (``apps.events.runtime.serving_started``, applied last,
as ``visionspace_site/asgi.py`` does; ``VISIONSPACE_WEB_GC=off`` for CPython's defaults).
"""

import gc
import json
import os
import resource
import time
from urllib.parse import parse_qs

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visionspace_site.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from apps.events import runtime  # noqa: E402
from apps.events.consumers import EventStreamConsumer  # noqa: E402
from apps.events.metrics import SOCKETS_BACKED_UP  # noqa: E402

PLAIN_HELLO = '{"type":"hello"}'
GC_PAUSES = runtime.GcPauses().install()


class PlainBroadcastConsumer(AsyncWebsocketConsumer):
    """Join the group, say hello (so the client knows it has joined), forward group messages."""

    group = ""

    async def connect(self) -> None:
        self.group = self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send(text_data=PLAIN_HELLO)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def plain_message(self, message: dict) -> None:
        await self.send(text_data=message["text"])


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def http_app(scope, receive, send):
    if scope["path"] != "/bench/stats":
        return await django_asgi_app(scope, receive, send)
    query = parse_qs(scope.get("query_string", b"").decode())
    since = int(query.get("since", ["0"])[0])  # summarise the collections after this many
    full_ms = None
    if query.get("collect"):  # time one full collection of the heap as it is now
        started = time.perf_counter()
        gc.collect()
        full_ms = round((time.perf_counter() - started) * 1000, 1)
    body = json.dumps({
        "gc": GC_PAUSES.summary(since),
        "pauses": len(GC_PAUSES.pauses),
        "threshold": gc.get_threshold(),
        "frozen": gc.get_freeze_count(),
        "tracked": len(gc.get_objects()),
        "rss_mb": round(rss_mb(), 1),
        "web_gc": os.environ.get(runtime.ENV, "auto"),
        "sockets_backed_up": SOCKETS_BACKED_UP._value.get(),
        "full_collection_ms": full_ms,
    }).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


websocket_urlpatterns = [
    re_path(r"^ws/events/(?P<group>[^/]{1,200})/$", EventStreamConsumer.as_asgi()),
    re_path(r"^ws/plain/(?P<group>[A-Za-z0-9_.-]{1,99})/$", PlainBroadcastConsumer.as_asgi()),
]

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

runtime.serving_started()  # as visionspace_site/asgi.py: last, Daphne processes only
