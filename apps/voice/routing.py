from django.urls import re_path

from .consumers import VoiceConsumer

websocket_urlpatterns = [
    re_path(r"^ws/voice/(?P<slug>[^/]{1,200})/$", VoiceConsumer.as_asgi()),
]
