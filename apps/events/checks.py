from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register(checks.Tags.compatibility)
def check_events_settings(app_configs, **kwargs):
    errors = []
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    if not _is_redis_layer(backend):
        errors.append(
            checks.Error(
                f"CHANNEL_LAYERS['default'] uses {backend or 'nothing'}; events need channels_redis.",
                hint="Set REDIS_URL, or leave it unset to use the Redis that runstack starts.",
                id="events.E001",
            )
        )
    if settings.EVENTS_HEARTBEAT_SECONDS < 1:
        errors.append(checks.Error("EVENTS_HEARTBEAT_SECONDS must be at least 1.", id="events.E002"))
    if settings.EVENTS_RETAIN < 100:
        errors.append(
            checks.Warning(
                f"EVENTS_RETAIN={settings.EVENTS_RETAIN} keeps very few events: reconnecting clients will often have to reload.",
                id="events.W001",
            )
        )
    return errors


def _is_redis_layer(backend: str) -> bool:
    """channels-redis's layer or a subclass of it (ours: apps.events.layer)."""
    from channels_redis.core import RedisChannelLayer

    try:
        layer = import_string(backend)
    except ImportError:
        return False
    return isinstance(layer, type) and issubclass(layer, RedisChannelLayer)
