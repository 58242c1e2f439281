"""The one interface every speech-to-text engine implements (docs/voice.md, "Speech to text").

An engine is loaded once per process and hands out a ``Recognizer`` per utterance. A
recognizer is fed 16 kHz mono s16le PCM as it arrives (so decoding overlaps the speech)
and finished once the turn ends. Recognizers are used from one worker thread at a time,
never from the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

SAMPLE_RATE = 16_000  # Hz; every engine takes this, the capture side resamples to it
SAMPLE_WIDTH = 2  # bytes, signed 16-bit little endian, mono


@dataclass(frozen=True)
class Transcript:
    """What an engine made of one utterance.

    ``accepted`` is True only when the whole utterance matched the grammar with enough
    confidence; only then may ``text`` be acted on. Otherwise ``text`` is what was heard
    (possibly empty) and ``suggestion`` an optional "Did you mean …?" request that is shown,
    never run.
    """

    text: str
    accepted: bool
    engine: str
    wake_phrase: bool = False  # the utterance began with the wake phrase (stripped from text)
    suggestion: str | None = None
    confidence: float | None = None
    decode_ms: float = 0.0  # CPU-side time spent in finish() (feed() time is overlapped with speech)
    detail: dict = field(default_factory=dict)  # engine specifics for logs and benches, no audio
    # Why: "accepted", or why not — "no_speech", "incomplete" (no whole grammar sentence),
    # "low_confidence" (out of grammar), "no_wake_phrase", "unplannable" (detail["refusal"] has
    # the planner's words, e.g. for a refused verb), "decoder_error", "spent".
    reason: str = ""


class Recognizer(Protocol):
    def feed(self, pcm: bytes) -> str | None:
        """Decode more audio; return the partial hypothesis when it changed, else None."""

    def finish(self) -> Transcript:
        """End the utterance and return the final transcript. The recognizer is spent afterwards."""

    def cancel(self) -> None:
        """Abandon the utterance (socket closed, turn cancelled) and free what it holds."""

    def settled(self) -> bool:
        """Whether the words heard so far already make a whole command (so a short silence may end
        the turn). An engine that cannot tell returns False: the turn then waits for the full silence."""


class SpeechEngine(Protocol):
    name: str

    def recognizer(self, *, wake_phrase_required: bool = False, adaptation: dict | None = None) -> Recognizer:
        """A recognizer for one utterance; with ``wake_phrase_required`` only "VisionSpace, …" is accepted.

        ``adaptation``: a dict the caller keeps per audio source (one stage's microphone, one
        call participant) and passes with each of its utterances; the engine keeps there what
        it learns about that source's channel (pocketsphinx: its cepstral mean), so one source's
        audio never changes how another's is heard. None: start from the engine's defaults."""

    def warm(self) -> None:
        """Load models and build the grammar now (process start), not on the first utterance."""
