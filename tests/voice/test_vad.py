"""Voice activity detection on real espeak-ng speech: one turn per utterance, ended by the silence after it."""

import numpy as np
import pytest

from apps.voice.vad import TurnDetector
from tests.support.speech import RATE, frames, silence, speak, with_noise


def turns(samples: np.ndarray, *, frame_ms: int = 20, **kwargs) -> list[tuple[str, float]]:
    detector = TurnDetector(**kwargs)
    events = []
    for frame in frames(samples, frame_ms=frame_ms):
        events += [(e.kind, e.at_s) for e in detector.feed(frame) if e.kind != "audio"]
    return events


def spoken(text: str) -> tuple[np.ndarray, float]:
    """Silence, the sentence, silence; and where its last voiced sample is (seconds)."""
    speech = speak(text)
    last = np.nonzero(np.abs(speech) > 200)[0][-1] / RATE
    return np.concatenate([silence(1.0), speech, silence(1.5)]), 1.0 + last


@pytest.mark.parametrize("frame_ms", [10, 20, 60])
def test_it_finds_one_turn_and_ends_it_soon_after_the_speech_whatever_the_frame_size(frame_ms):
    samples, speech_end = spoken("VisionSpace, show me the fleet overview")
    events = turns(samples, frame_ms=frame_ms)
    assert [kind for kind, _ in events] == ["start", "end"]
    (_, start), (_, end) = events
    assert 0.9 < start < 1.3
    assert 0.3 <= end - speech_end <= 0.5  # VOICE_END_SILENCE_MS (300) and a frame or two


def test_it_waits_for_the_configured_silence(settings):
    settings.VOICE_END_SILENCE_MS = 700
    samples, speech_end = spoken("show me the flight memory system status")
    (_, _), (_, end) = turns(samples)
    assert 0.7 <= end - speech_end <= 0.9


def test_it_hears_nothing_in_silence_and_in_steady_noise():
    assert turns(silence(3.0)) == []
    noise = with_noise(np.concatenate([silence(0.5), speak("show me"), silence(2.5)]), snr_db=20)[-int(2.0 * RATE):]
    assert turns(noise) == []


@pytest.mark.parametrize("snr_db", [20, 10])
def test_it_keeps_one_turn_in_noise(snr_db):
    """Also: the first frames of a noisy stream, which the classifier takes for speech until it
    has learnt the noise floor, start no turn."""
    samples, speech_end = spoken("compare the deployments of the last week")
    events = turns(with_noise(samples, snr_db=snr_db))
    assert [kind for kind, _ in events] == ["start", "end"]
    assert 0.2 <= events[-1][1] - speech_end <= 0.5


def test_it_hands_the_recogniser_the_onset_it_needed_to_be_sure():
    samples, _ = spoken("show me the fleet overview")
    detector = TurnDetector()
    audio = b""
    for frame in frames(samples):
        audio += b"".join(e.pcm for e in detector.feed(frame))
    # The pre-roll (600 ms) plus everything up to the end of the turn, nothing after it.
    assert 2.3 < len(audio) / (2 * RATE) < 3.5
