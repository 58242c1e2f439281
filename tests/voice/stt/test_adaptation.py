"""The channel (cepstral mean) the recogniser learns belongs to one audio source: pooled
decoders serve every stage, and one stage's audio must not change how another's is heard
(regression: after other stages' audio, push-to-talk misheard the same WAV every time)."""

import numpy as np

from tests.support.speech import utterance, with_noise
from tests.voice.stt.corpus import recognise

REQUEST = "show the fleet overview"


def heard(engine, samples, adaptation=None):
    transcript, _, _ = recognise(engine, samples, adaptation=adaptation)
    return transcript.text, transcript.confidence


def test_another_sources_audio_does_not_change_what_a_new_source_hears(seeded, engine):
    clean = utterance(REQUEST)
    before = heard(engine, clean, {})
    loud_room: dict = {}
    for seed in range(4):  # another stage: a loud, noisy room, heard by the same pooled decoders
        heard(engine, with_noise(np.clip(clean.astype(np.int32) * 3, -32768, 32767).astype(np.int16),
                                 snr_db=5, seed=seed), loud_room)
    assert loud_room  # that source learnt its channel
    assert heard(engine, clean, {}) == before


def test_a_source_keeps_what_it_learnt_between_utterances(seeded, engine):
    adaptation: dict = {}
    heard(engine, with_noise(utterance(REQUEST), snr_db=20, seed=1), adaptation)
    learnt = dict(adaptation)
    heard(engine, with_noise(utterance("show the hub deployments"), snr_db=20, seed=2), adaptation)
    assert learnt and adaptation != learnt  # carried over and updated, per source
