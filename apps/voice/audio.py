"""What the voice socket accepts as audio: frame checks, a real-time budget, a format sniffer.

Everything here is cheap and runs on the event loop before a frame is queued for the
worker threads, so a bad or abusive client is turned away before it costs CPU.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .stt.base import SAMPLE_RATE, SAMPLE_WIDTH

MIN_FRAME_MS, MAX_FRAME_MS = 10, 60
MIN_FRAME_BYTES = SAMPLE_RATE * SAMPLE_WIDTH * MIN_FRAME_MS // 1000  # 320
MAX_FRAME_BYTES = SAMPLE_RATE * SAMPLE_WIDTH * MAX_FRAME_MS // 1000  # 1920
FORMAT = {"sample_rate": SAMPLE_RATE, "sample_format": "s16le", "channels": 1}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    fatal: bool = False  # the socket is closed (with the close code the consumer maps it to)


ODD_LENGTH = Problem("odd_frame", "A frame had an odd number of bytes: send whole 16-bit samples (s16le).")
TOO_SHORT = Problem("short_frame", f"Frames must hold {MIN_FRAME_MS}–{MAX_FRAME_MS} ms of audio "
                                   f"({MIN_FRAME_BYTES}–{MAX_FRAME_BYTES} bytes); this one was shorter.")
TOO_LONG = Problem("frame_too_large", f"Frames must hold at most {MAX_FRAME_MS} ms of audio ({MAX_FRAME_BYTES} bytes).",
                   fatal=True)
FLOOD = Problem("flood", "Audio arrived faster than real time: stream the microphone as it records.", fatal=True)
NOT_S16 = Problem("unsupported_format", "This does not sound like 16 kHz mono s16le PCM (it looks like float "
                                        "samples or random bytes): convert in the browser before sending.", fatal=True)


def frame_problem(pcm: bytes) -> Problem | None:
    if len(pcm) > MAX_FRAME_BYTES:
        return TOO_LONG
    if len(pcm) % SAMPLE_WIDTH:
        return ODD_LENGTH
    if len(pcm) < MIN_FRAME_BYTES:
        return TOO_SHORT
    return None


def format_problem(announced: dict) -> Problem | None:
    """A client's ``{"type": "format", ...}``: anything but exactly our format is refused."""
    wrong = {k: announced[k] for k in FORMAT if k in announced and announced[k] != FORMAT[k]}
    if not wrong:
        return None
    said = ", ".join(f"{k}={v!r}" for k, v in wrong.items())
    return Problem("unsupported_format", f"This socket takes 16 kHz mono s16le only (you announced {said}): "
                                         "resample and convert in the browser.", fatal=True)


class RealTimeBudget:
    """A token bucket of audio seconds: refills at one second per wall-clock second, holds
    ``burst_s``. A client that sends more audio than that (a file, a replay) is a flood."""

    def __init__(self, *, burst_s: float, clock=time.monotonic):
        self.burst_s = float(burst_s)
        self._clock = clock
        self._tokens = self.burst_s
        self._at = clock()

    def spend(self, audio_s: float) -> bool:
        now = self._clock()
        self._tokens = min(self.burst_s, self._tokens + (now - self._at))
        self._at = now
        self._tokens -= audio_s
        return self._tokens >= -1e-9  # 100 × 0.02 s is not quite 2.0 in floating point


class FormatSniffer:
    """Float32 samples or random bytes sent as s16le look unlike any microphone: flag them
    only when a whole window (~0.5 s) of frames looks that way, so one loud clap never does."""

    WINDOW_FRAMES = 25

    def __init__(self):
        self._suspicious = 0

    def check(self, pcm: bytes) -> Problem | None:
        verdict = _looks_wrong(pcm)
        if verdict is not None:  # silence says nothing either way
            self._suspicious = self._suspicious + 1 if verdict else 0
        return NOT_S16 if self._suspicious >= self.WINDOW_FRAMES else None


def _looks_wrong(pcm: bytes) -> bool | None:
    x = np.frombuffer(pcm, dtype="<i2")
    if x.size < 8 or np.count_nonzero(x) < x.size // 4:
        return None
    # float32 in [-1, 1]: every second int16 is the float's top half, whose high byte is the
    # sign and exponent (0x30-0x3F or 0xB0-0xBF) for all but exact zeros.
    top = x[1::2].view(np.uint16)
    top = top[top != 0]
    high = (top >> 8) & 0x7F
    if top.size and np.mean((high >= 0x30) & (high <= 0x3F)) > 0.9:
        return True
    # Random bytes: full-scale white noise, half the samples above half scale; no microphone does that.
    return bool(np.mean(np.abs(x.astype(np.int32)) > 16384) > 0.35)
