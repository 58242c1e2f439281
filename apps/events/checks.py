from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_events_settings(app_configs, **kwargs):
    errors = []
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("channels_redis."):
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
