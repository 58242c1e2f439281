from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    label = "events"
    verbose_name = "Live events"

    def ready(self) -> None:
        from . import access, checks  # noqa: F401  (registers built-in groups and checks)
