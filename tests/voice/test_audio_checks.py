"""The cheap checks every audio frame passes before it costs any CPU: size, real time, format."""

import numpy as np

from apps.voice import audio
from tests.support.speech import frames, utterance, with_noise


def test_it_accepts_the_frame_sizes_the_protocol_names():
    for ms in (10, 20, 40, 60):
        assert audio.frame_problem(b"\0" * (32 * ms)) is None


def test_it_names_each_bad_frame():
    assert audio.frame_problem(b"\0" * 641).code == "odd_frame"
    assert audio.frame_problem(b"\0" * 100).code == "short_frame"
    too_long = audio.frame_problem(b"\0" * 1922)
    assert too_long.code == "frame_too_large" and too_long.fatal
    assert not audio.frame_problem(b"\0" * 641).fatal


def test_it_refuses_an_announced_format_other_than_16k_mono_s16le():
    assert audio.format_problem({"type": "format", "sample_rate": 16000, "sample_format": "s16le", "channels": 1}) is None
    problem = audio.format_problem({"type": "format", "sample_rate": 48000, "sample_format": "f32le"})
    assert problem.fatal and "48000" in problem.message and "f32le" in problem.message


def test_it_lets_a_client_run_a_burst_ahead_of_real_time_but_no_more():
    now = [100.0]
    budget = audio.RealTimeBudget(burst_s=2, clock=lambda: now[0])
    assert all(budget.spend(0.02) for _ in range(100))  # 2 s at once: the burst
    assert not budget.spend(0.02)
    budget = audio.RealTimeBudget(burst_s=2, clock=lambda: now[0])
    for _ in range(1000):  # 20 s of audio over 20 s of wall clock: never a flood
        now[0] += 0.02
        assert budget.spend(0.02)


def test_it_hears_float_samples_and_random_bytes_as_the_wrong_format():
    speech = utterance("show me the fleet overview", lead_s=0.1, tail_s=0.1)
    as_float = (speech.astype(np.float32) / 32768).astype("<f4").tobytes()
    sniffer = audio.FormatSniffer()
    float_frames = [as_float[i:i + 640] for i in range(0, 640 * 40, 640)]
    assert any(sniffer.check(f) for f in float_frames)
    sniffer = audio.FormatSniffer()
    rng = np.random.default_rng(1)
    assert any(sniffer.check(rng.bytes(640)) for _ in range(40))


def test_it_takes_loud_and_noisy_speech_for_what_it_is():
    loud = np.clip(utterance("show me the fleet overview").astype(np.int32) * 4, -32768, 32767).astype(np.int16)
    for samples in (loud, with_noise(utterance("compare the deployments"), snr_db=20)):
        sniffer = audio.FormatSniffer()
        assert not any(sniffer.check(f) for f in frames(samples))
