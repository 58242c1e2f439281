"""When a turn ends: after a short silence once the words make a whole command, after the full
VOICE_END_SILENCE_MS otherwise (apps/voice/pipeline.py, ``VoiceSession._settled``).

Measured in audio, not wall time: frames are fed as fast as the test can, and what counts is how
much silence after the last sound the session had been given when it answered."""

import numpy as np
import pytest

from apps.voice.pipeline import VoiceSession
from tests.support.speech import RATE, frames, silence, speak

pytestmark = pytest.mark.django_db(transaction=True)
FRAME_MS = 20


def _spoken(text: str) -> tuple[np.ndarray, float]:
    speech = speak(text)
    last = np.nonzero(np.abs(speech) > 200)[0][-1]
    return np.concatenate([silence(0.6), speech[:last + 1], silence(1.5)]), 0.6 + (last + 1) / RATE


def _answer(session: VoiceSession, samples: np.ndarray, speech_end_s: float) -> tuple[dict, float]:
    """The session's answer to the turn and the seconds of silence after the speech it had heard by then."""
    session.push_to_talk(True)
    for index, frame in enumerate(frames(samples, frame_ms=FRAME_MS)):
        answers = [o for o in session.feed(frame) if o["type"] in {"final", "refused"}]
        if answers:
            return answers[0], (index + 1) * FRAME_MS / 1000 - speech_end_s
    raise AssertionError("the turn never ended")


def test_a_whole_command_ends_the_turn_after_a_short_silence(stage, operator, seeded, settings):
    settings.VOICE_COMPLETE_SILENCE_MS, settings.VOICE_END_SILENCE_MS = 150, 300
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    answer, after = _answer(session, *_spoken("show the fleet overview"))
    assert answer["type"] == "final" and answer["ended_by"] == "complete", answer
    assert 0.15 <= after < 0.3, after  # the short silence (and the detector's hangover), not the full one
    session.close()


def test_words_that_are_not_a_command_yet_wait_for_the_full_silence(stage, operator, seeded, settings):
    settings.VOICE_COMPLETE_SILENCE_MS, settings.VOICE_END_SILENCE_MS = 150, 300
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    answer, after = _answer(session, *_spoken("compare the"))
    assert answer["type"] == "refused", answer
    assert after >= 0.3, after
    session.close()


def test_zero_turns_the_short_silence_off(stage, operator, seeded, settings):
    settings.VOICE_COMPLETE_SILENCE_MS, settings.VOICE_END_SILENCE_MS = 0, 300
    session = VoiceSession(stage=stage, user=operator, mode="push_to_talk")
    answer, after = _answer(session, *_spoken("show the fleet overview"))
    assert answer["type"] == "final" and answer["ended_by"] == "silence", answer
    assert after >= 0.3, after
    session.close()
