from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "apps.voice"
    label = "voice"
    verbose_name = "Voice input (microphone → speech-to-text → studio)"

    def ready(self) -> None:
        from . import checks  # noqa: F401  registers the system checks
        from . import signals

        signals.connect()
