"""The registry entry for the offline engine (``VOICE_STT_ENGINE = "pocketsphinx"``)."""

from __future__ import annotations

from .pocketsphinx_engine import PocketsphinxEngine


def engine() -> PocketsphinxEngine:
    return PocketsphinxEngine()
