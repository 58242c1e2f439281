from django.urls import re_path

from .consumers import EventStreamConsumer

websocket_urlpatterns = [
    re_path(r"^ws/events/(?P<group>[^/]{1,200})/$", EventStreamConsumer.as_asgi()),
]
