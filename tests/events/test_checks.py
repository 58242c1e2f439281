"""events.E001: events need a Redis channel layer (channels-redis or our cancellable subclass)."""

import pytest

from apps.events.checks import check_events_settings


def layer(settings, backend):
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"], "BACKEND": backend}}


@pytest.mark.parametrize("backend", ["apps.events.layer.RedisChannelLayer", "channels_redis.core.RedisChannelLayer"])
def test_it_accepts_a_redis_channel_layer(settings, backend):
    layer(settings, backend)
    assert [e.id for e in check_events_settings(None)] == []


@pytest.mark.parametrize("backend", ["channels.layers.InMemoryChannelLayer", "no.such.Layer", ""])
def test_it_refuses_anything_else(settings, backend):
    layer(settings, backend)
    assert [e.id for e in check_events_settings(None)] == ["events.E001"]
