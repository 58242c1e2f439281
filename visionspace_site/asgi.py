"""ASGI entry point: HTTP through Django, websockets through Channels.

Websockets pass the Origin check (ALLOWED_HOSTS) and session authentication before
any consumer sees them.

Once everything is imported, a Daphne process freezes its start-up heap out of the
garbage collector's way and raises the young-generation threshold
(apps/events/runtime.py; ``VISIONSPACE_WEB_GC=off`` to keep CPython's defaults).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visionspace_site.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.events import runtime  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

runtime.serving_started()  # last: freezes what start-up left alive (Daphne processes only)
