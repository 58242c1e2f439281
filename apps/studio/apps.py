from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "apps.studio"
    label = "studio"
    verbose_name = "Studio (voice-to-video)"

    def ready(self) -> None:
        from celery.signals import worker_ready

        worker_ready.connect(_warm_planner, weak=False)


def _warm_planner(**kwargs) -> None:
    """Build the planner's catalogue lexicon at worker start, not on a viewer's first request."""
    from apps.studio.planner.lexicon import lexicon_current

    lexicon_current()
