import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.voice import stt
from apps.voice.checks import speech_engine_configured


def test_it_builds_one_engine_per_process(settings):
    settings.VOICE_STT_ENGINE = "pocketsphinx"
    first = stt.speech_engine()
    assert first is stt.speech_engine()
    assert first.name == "pocketsphinx"


def test_it_refuses_an_unknown_engine_with_what_to_set(settings):
    settings.VOICE_STT_ENGINE = "deepgram"
    with pytest.raises(ImproperlyConfigured, match="VOICE_STT_ENGINE.*pocketsphinx"):
        stt.speech_engine()


def test_the_system_check_reports_an_unknown_engine(settings):
    settings.VOICE_STT_ENGINE = "nope"
    errors = speech_engine_configured()
    assert [e.id for e in errors] == ["voice.E001"]
    settings.VOICE_STT_ENGINE = "pocketsphinx"
    assert speech_engine_configured() == []


def test_the_system_check_warns_when_decoy_probes_cannot_speak(settings, monkeypatch):
    from apps.voice import checks

    settings.VOICE_STT_ENGINE = "pocketsphinx"
    assert checks.decoy_probes_possible() == []  # espeak-ng is a Debian package .ci/run installs
    monkeypatch.setattr("shutil.which", lambda program: None)
    assert [w.id for w in checks.decoy_probes_possible()] == ["voice.W001"]
