"""System checks: a misconfigured speech-to-text engine is reported at start-up (manage.py check),
not on the first utterance."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register("voice")
def speech_engine_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .stt import engine_problem

    problem = engine_problem(getattr(settings, "VOICE_STT_ENGINE", None))
    if problem is None:
        return []
    return [checks.Error(problem, hint="VOICE_STT_ENGINE=pocketsphinx works offline with no keys.",
                         id="voice.E001")]


@checks.register("voice")
def decoy_probes_possible(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Without espeak-ng the decoy probes cannot speak a name, so a decoy that sounds like a
    catalogue name refuses that name's commands (apps/voice/stt/decoy_probes.py)."""
    import shutil

    if getattr(settings, "VOICE_STT_ENGINE", "pocketsphinx") != "pocketsphinx" or shutil.which("espeak-ng"):
        return []
    return [checks.Warning("espeak-ng is not installed: names that sound like a decoy (\"the hub\") will be "
                           "refused as unknown names.", hint="apt-get install espeak-ng", id="voice.W001")]
