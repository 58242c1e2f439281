"""Narration: each scene's spoken line as a WAV.

Engines (one module each, ``narrate(*, text, out_path) -> Narration``): ``piper`` (optional
extra, natural voice) and ``espeak-ng`` (always there). Settings ``STUDIO_TTS_ENGINE``:
"auto" (Piper when installed with a voice, else espeak-ng), "piper" or "espeak-ng".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .base import (
    Narration,
    NarrationEngine,
    NarrationUnavailable,
    narration_text,
    wav_silence_write,
)
from .espeak import EspeakEngine
from .piper import PiperEngine

ENGINE_NAMES = ("auto", "piper", "espeak-ng")


def _setting(*, name: str, default: str | None) -> str | None:
    """A Django setting when Django is set up (the worker), else the default (scripts, benches)."""
    try:
        from django.conf import settings
    except ImportError:
        return default
    return getattr(settings, name, default) if settings.configured else default


@lru_cache(maxsize=4)
def _engine(*, name: str, piper_voice: str | None) -> NarrationEngine:
    if name == "espeak-ng":
        return EspeakEngine()
    if name == "piper":
        return PiperEngine(voice_path=piper_voice)
    if name == "auto":
        try:
            return PiperEngine(voice_path=piper_voice)
        except NarrationUnavailable:
            return EspeakEngine()
    raise ValueError(f"STUDIO_TTS_ENGINE={name!r}: use one of {', '.join(ENGINE_NAMES)}.")


def narration_engine(*, name: str | None = None) -> NarrationEngine:
    """The engine ``name`` (default: the STUDIO_TTS_ENGINE setting), loaded once per process."""
    chosen = name or _setting(name="STUDIO_TTS_ENGINE", default="auto") or "auto"
    return _engine(name=chosen, piper_voice=_setting(name="STUDIO_PIPER_VOICE", default=None))


def narrate(*, text: str, out_path: Path, engine: NarrationEngine | None = None) -> Narration:
    """Speak ``text`` into the WAV ``out_path``; empty text gives a silent, zero-length narration."""
    line = narration_text(text=text)
    if not line:
        return wav_silence_write(path=out_path)
    return (engine or narration_engine()).narrate(text=line, out_path=out_path)


__all__ = ["ENGINE_NAMES", "Narration", "NarrationEngine", "NarrationUnavailable", "narrate", "narration_engine"]
