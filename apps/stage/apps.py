from django.apps import AppConfig


class StageConfig(AppConfig):
    name = "apps.stage"
    label = "stage"
    verbose_name = "Stages (big screens)"

    def ready(self) -> None:
        # The stage.* event types are the studio's; they go on this app's groups.
        from apps.studio import event_types  # noqa: F401

        from . import access  # noqa: F401  (registers the stage.<slug> group rule)
