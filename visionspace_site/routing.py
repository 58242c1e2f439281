"""Websocket routes of every app, in one place."""

from apps.events.routing import websocket_urlpatterns as events_routes
from apps.voice.routing import websocket_urlpatterns as voice_routes

websocket_urlpatterns = [*events_routes, *voice_routes]
