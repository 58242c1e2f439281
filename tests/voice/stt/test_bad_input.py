import numpy as np

from tests.support.speech import silence, with_noise


def _finish(engine, chunks):
    recognizer = engine.recognizer()
    for chunk in chunks:
        recognizer.feed(chunk)
    return recognizer.finish()


def test_it_rejects_empty_audio(seeded, engine):
    transcript = _finish(engine, [])
    assert not transcript.accepted and transcript.reason == "no_speech"


def test_it_rejects_a_tenth_of_a_second(seeded, engine):
    transcript = _finish(engine, [with_noise(silence(0.1) + 100, snr_db=0).tobytes()])
    assert not transcript.accepted


def test_it_rejects_pure_noise(seeded, engine):
    noise = np.random.default_rng(1).normal(0, 3000, 16_000 * 2).astype(np.int16)
    transcript = _finish(engine, [noise.tobytes()[i:i + 640] for i in range(0, 64_000, 640)])
    assert not transcript.accepted


def test_it_survives_odd_byte_counts_and_empty_frames(seeded, engine):
    noise = np.random.default_rng(2).normal(0, 1000, 8000).astype(np.int16).tobytes()
    transcript = _finish(engine, [noise[:333], b"", noise[333:1001], b"\x01", noise[1001:]])
    assert not transcript.accepted


def test_a_spent_or_cancelled_recognizer_answers_rejected(seeded, engine):
    recognizer = engine.recognizer()
    recognizer.feed(silence(0.5).tobytes())
    recognizer.finish()
    assert recognizer.finish().reason == "spent"
    assert recognizer.feed(b"\x00\x00" * 320) is None
    cancelled = engine.recognizer()
    cancelled.feed(silence(0.2).tobytes())
    cancelled.cancel()
    cancelled.cancel()
    assert not cancelled.finish().accepted
