"""Narration engines: espeak-ng always, Piper when installed, chosen by STUDIO_TTS_ENGINE."""

import wave

import pytest

from apps.studio.narration import NarrationUnavailable, narrate, narration_engine
from apps.studio.narration.espeak import EspeakEngine


def test_it_speaks_a_line_into_a_wav(tmp_path):
    narration = narrate(text="The key manager is up.", out_path=tmp_path / "line.wav", engine=EspeakEngine())
    with wave.open(str(narration.path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getframerate() == 22_050
        assert narration.duration_s == pytest.approx(wav.getnframes() / wav.getframerate())
    assert 0.8 < narration.duration_s < 4


def test_it_speaks_hostile_text_as_words(tmp_path):
    text = "-v xx --stdin <speak><audio src='http://x'/></speak> $(rm -rf /) ; DROP TABLE"
    narration = narrate(text=text, out_path=tmp_path / "odd.wav", engine=EspeakEngine())
    assert narration.duration_s > 1, "the whole line is spoken, options and tags included"


def test_it_gives_empty_text_a_silent_zero_length_narration(tmp_path):
    narration = narrate(text=" \n\t ", out_path=tmp_path / "empty.wav", engine=EspeakEngine())
    assert narration.duration_s == 0
    with wave.open(str(narration.path)) as wav:
        assert wav.getnframes() == 0


def test_it_caps_a_runaway_line(tmp_path):
    narration = narrate(text="word " * 2000, out_path=tmp_path / "long.wav", engine=EspeakEngine())
    assert narration.duration_s < 90


def test_it_picks_the_engine_from_settings(settings):
    settings.STUDIO_TTS_ENGINE = "espeak-ng"
    assert narration_engine().name == "espeak-ng"
    assert narration_engine(name="auto").name in ("piper", "espeak-ng")
    with pytest.raises(ValueError, match="STUDIO_TTS_ENGINE"):
        narration_engine(name="festival")


def test_piper_works_or_says_how_to_install_it(tmp_path):
    """Piper is an optional extra: either it speaks, or asking for it explains what is missing."""
    try:
        engine = narration_engine(name="piper")
    except NarrationUnavailable as missing:
        assert "piper-tts" in str(missing) or "piper-voice" in str(missing) or "STUDIO_PIPER_VOICE" in str(missing)
        assert narration_engine(name="auto").name == "espeak-ng"
        return
    narration = narrate(text="The key manager is up.", out_path=tmp_path / "piper.wav", engine=engine)
    assert narration.duration_s > 0.5
    assert narration_engine(name="auto").name == "piper"
