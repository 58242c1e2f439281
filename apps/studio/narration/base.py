"""What every narration engine gives back, and the WAV facts the renderer needs."""

from __future__ import annotations

import unicodedata
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# A scene's spoken line, not a speech: longer text is cut (at a word) before synthesis.
NARRATION_LIMIT = 600


@dataclass(frozen=True)
class Narration:
    path: Path  # a mono 16-bit PCM WAV
    duration_s: float


class NarrationUnavailable(RuntimeError):
    """The engine cannot run here (program or package missing); the message says what to install."""


class NarrationEngine(Protocol):
    name: str

    def narrate(self, *, text: str, out_path: Path) -> Narration: ...


def narration_text(*, text: object) -> str:
    """The text as one spoken line: control characters out, whitespace collapsed, length capped."""
    value = "" if text is None else str(text)
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in value)
    value = " ".join(value.split())
    if len(value) > NARRATION_LIMIT:
        value = value[:NARRATION_LIMIT].rsplit(" ", 1)[0] + "…"
    return value


def wav_duration(*, path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def wav_silence_write(*, path: Path, rate: int = 22050) -> Narration:
    """An empty narration: a valid WAV with no samples."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
    return Narration(path=path, duration_s=0.0)
