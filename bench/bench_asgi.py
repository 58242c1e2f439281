"""The ASGI application ``bench/ws_broadcast.py`` serves with Daphne.

Two websocket routes behind the same Origin check and session/auth middleware as
``visionspace_site.asgi``:

* ``ws/events/<group>/``: our ``EventStreamConsumer``, unchanged (seq, log, gap fill).
* ``ws/plain/<group>/``: the baseline. A bare Channels consumer that joins the group and
  forwards ``message["text"]`` as it is: what Channels costs with no seq and no log.

HTTP goes to Django as in production (nothing in the benchmark uses it).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visionspace_site.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from apps.events.consumers import EventStreamConsumer  # noqa: E402

PLAIN_HELLO = '{"type":"hello"}'


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


websocket_urlpatterns = [
    re_path(r"^ws/events/(?P<group>[^/]{1,200})/$", EventStreamConsumer.as_asgi()),
    re_path(r"^ws/plain/(?P<group>[A-Za-z0-9_.-]{1,99})/$", PlainBroadcastConsumer.as_asgi()),
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
