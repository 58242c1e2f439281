"""WebVTT captions from the scenes' narrations and the renderer's timings.

A long narration is split into cues of at most two short lines, each on screen for a share of
the narration's time proportional to its length (speech runs at a near-constant rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CUE_CHARS = 84  # two lines of ~42 characters: what a viewer reads comfortably at a glance


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


def _chunks(*, text: str, max_chars: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > max_chars:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(word[:max_chars])
            word = word[max_chars:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > max_chars:
            chunks.append(current)
            current = word
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def captions_cues(*, text: str, start_s: float, end_s: float, max_chars: int = CUE_CHARS) -> list[Cue]:
    """The cues for one narration spoken from ``start_s`` to ``end_s``."""
    chunks = _chunks(text=" ".join(text.split()), max_chars=max_chars)
    if not chunks or end_s <= start_s:
        return []
    total = sum(len(chunk) for chunk in chunks)
    cues, at = [], start_s
    for index, chunk in enumerate(chunks):
        until = end_s if index == len(chunks) - 1 else at + (end_s - start_s) * len(chunk) / total
        cues.append(Cue(start_s=round(at, 3), end_s=round(until, 3), text=chunk))
        at = until
    return cues


def _timestamp(*, seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _escape(*, text: str) -> str:
    # Cue text is markup in WebVTT: narration is shown as written, never read as tags.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def captions_webvtt(*, cues: Sequence[Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        blocks.append(f"{_timestamp(seconds=cue.start_s)} --> {_timestamp(seconds=cue.end_s)}\n{_escape(text=cue.text)}")
    return "\n\n".join(blocks) + "\n"


def captions_write(*, cues: Sequence[Cue], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(captions_webvtt(cues=cues), encoding="utf-8")
    return path
