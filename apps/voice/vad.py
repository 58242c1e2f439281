"""Voice activity detection: where an utterance starts and where the turn ends (docs/voice.md).

A frame classifier says speech / not speech for each short frame; ``TurnDetector``
re-chunks whatever frame size the transport delivers to the classifier's, keeps a pre-roll
(the onset the classifier needed to be sure, and the half second of silence before it that
the recogniser needs: with 0.2 s it misheard "hey vision space …" two times in three), and
ends the turn once ``end_silence_ms`` of the trailing audio is (almost) all non-speech.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from .stt.base import SAMPLE_RATE, SAMPLE_WIDTH


class FrameClassifier(Protocol):
    frame_bytes: int

    def is_speech(self, frame: bytes) -> bool: ...


class PocketsphinxClassifier:
    """pocketsphinx 5's WebRTC-derived ``Vad``: ~2 µs per 20 ms frame, no model file.

    Mode 3 (very aggressive) is the one that kept white noise at 20 dB SNR from counting
    as speech on the measured utterances (docs/benchmarks.md, "voice VAD").
    """

    def __init__(self, *, mode: int = 3, frame_ms: int = 20):
        from pocketsphinx import Vad

        self._vad = Vad(mode=mode, sample_rate=SAMPLE_RATE, frame_length=frame_ms / 1000)
        self.frame_bytes = self._vad.frame_bytes

    def is_speech(self, frame: bytes) -> bool:
        return bool(self._vad.is_speech(frame))


def classifier_make() -> FrameClassifier:
    name = settings.VOICE_VAD
    if name == "pocketsphinx":
        return PocketsphinxClassifier(mode=settings.VOICE_VAD_MODE)
    raise ValueError(f"VOICE_VAD={name!r} is not a detector this build has; use 'pocketsphinx'.")


@dataclass(frozen=True)
class VadEvent:
    kind: str  # "start" (pcm = pre-roll + onset), "audio" (pcm during speech), "end"
    pcm: bytes = b""
    at_s: float = 0.0  # stream position (seconds of audio fed) at which the event was decided


class TurnDetector:
    """Speech starts after ``start_ms`` of speech frames in a row; the turn ends after
    ``end_silence_ms`` with no two speech frames in a row (a lone frame — a click, a breath,
    a noise spike — does not restart the wait)."""

    def __init__(self, *, classifier: FrameClassifier | None = None, end_silence_ms: int | None = None,
                 start_ms: int = 100, preroll_ms: int = 600, warmup_ms: int = 200):
        self.classifier = classifier or classifier_make()
        self.frame_bytes = self.classifier.frame_bytes
        frame_ms = 1000 * self.frame_bytes / (SAMPLE_RATE * SAMPLE_WIDTH)
        end_ms = settings.VOICE_END_SILENCE_MS if end_silence_ms is None else end_silence_ms
        self.frame_s = frame_ms / 1000
        # The classifier takes its first frames of a stream as speech until it has learnt the
        # noise floor (in 10 dB noise every stream "started" in its first 100 ms).
        self._warmup_s = warmup_ms / 1000
        self._start_frames = max(1, round(start_ms / frame_ms))
        self._end_frames = max(1, round(end_ms / frame_ms))
        self._preroll: deque[bytes] = deque(maxlen=max(self._start_frames, round(preroll_ms / frame_ms)))
        self._pending = b""
        self._run = 0  # speech frames in a row
        self._quiet = 0  # frames since the last two speech frames in a row
        self.in_speech = False
        self.position_s = 0.0  # seconds of audio classified so far
        self.last_speech_s = 0.0  # stream position of the end of the last speech frame

    def feed(self, pcm: bytes) -> list[VadEvent]:
        data = self._pending + pcm
        usable = len(data) - len(data) % self.frame_bytes
        self._pending = data[usable:]
        events: list[VadEvent] = []
        for offset in range(0, usable, self.frame_bytes):
            events.extend(self._frame(data[offset:offset + self.frame_bytes]))
        return _coalesce(events)

    def _frame(self, frame: bytes) -> list[VadEvent]:
        speech = self.classifier.is_speech(frame)
        self.position_s += self.frame_s
        self._run = self._run + 1 if speech else 0
        if speech:
            self.last_speech_s = self.position_s
        if not self.in_speech:
            self._preroll.append(frame)
            if self._run < self._start_frames or self.position_s < self._warmup_s:
                return []
            self.in_speech = True
            self._quiet = 0
            onset = b"".join(self._preroll)
            self._preroll.clear()
            return [VadEvent("start", onset, self.position_s)]
        self._quiet = 0 if self._run >= 2 else self._quiet + 1
        if self._quiet >= self._end_frames:
            self.reset()
            return [VadEvent("audio", frame, self.position_s), VadEvent("end", b"", self.position_s)]
        return [VadEvent("audio", frame, self.position_s)]

    @property
    def quiet_s(self) -> float:
        """How long the turn has been quiet (no two speech frames in a row), 0 outside a turn."""
        return self._quiet * self.frame_s if self.in_speech else 0.0

    def reset(self) -> None:
        """Back to waiting for speech (after a turn ended, or was cancelled, or at a press).

        The pre-roll is kept: at a press it holds the room just before it, which someone who
        speaks the moment they press needs as much as anyone (and it never holds a turn's speech)."""
        self.in_speech = False
        self._run = 0
        self._quiet = 0


def _coalesce(events: list[VadEvent]) -> list[VadEvent]:
    """Join consecutive audio events, so a 60 ms transport frame is one recogniser call, not three."""
    out: list[VadEvent] = []
    for event in events:
        if out and event.kind == "audio" and out[-1].kind in {"audio", "start"}:
            last = out[-1]
            out[-1] = VadEvent(last.kind, last.pcm + event.pcm, last.at_s if last.kind == "start" else event.at_s)
        else:
            out.append(event)
    return out
