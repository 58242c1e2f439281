"""Speech-to-text engines behind one interface (``base.SpeechEngine``); docs/voice.md.

``speech_engine()`` returns this process's engine, chosen by ``settings.VOICE_STT_ENGINE``
from ``ENGINES``: one adapter module per engine exposing ``engine() -> SpeechEngine``. A
cloud engine (Deepgram, OpenAI, Google) plugs in as one more module and one more entry; it
must keep the contract in base.py, reject what the planner cannot plan, and take its key
from the key manager (a later issue), never from settings in clear.
"""

from __future__ import annotations

import importlib
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SAMPLE_RATE, SAMPLE_WIDTH, Recognizer, SpeechEngine, Transcript

__all__ = ["ENGINES", "SAMPLE_RATE", "SAMPLE_WIDTH", "Recognizer", "SpeechEngine", "Transcript",
           "engine_problem", "refusal_message", "speech_engine"]

ENGINES = {
    "pocketsphinx": "apps.voice.stt.pocketsphinx_adapter",
}

_lock = threading.Lock()
_engines: dict[str, SpeechEngine] = {}


def engine_problem(name: object) -> str | None:
    """Why ``name`` cannot be the engine, or None when it can."""
    if name in ENGINES:
        return None
    return (f"VOICE_STT_ENGINE is {name!r}, which is not a speech-to-text engine; "
            f"set it to one of: {', '.join(sorted(ENGINES))}")


def speech_engine() -> SpeechEngine:
    """This process's engine (built on first use; call ``warm()`` on it at start-up)."""
    name = settings.VOICE_STT_ENGINE
    engine = _engines.get(name)
    if engine is not None:
        return engine
    problem = engine_problem(name)
    if problem:
        raise ImproperlyConfigured(problem)
    with _lock:
        if name not in _engines:
            _engines[name] = importlib.import_module(ENGINES[name]).engine()
        return _engines[name]


def refusal_message(*, suggestion: str | None, reason: str = "") -> str:
    """What a refused utterance shows: a request that works about a real service, and the
    general model's "Did you mean …?" when there is one (shown, never acted on). A name the
    catalogue does not have (``reason`` "unknown_name") is said to be one."""
    from .refusal import refusal_example

    if reason == "unknown_name":
        message = f"Sorry, that isn't a service in the catalogue — try “{refusal_example()}”."
    else:
        message = f"Sorry, I didn't catch that — try “{refusal_example()}”."
    if suggestion:
        message += f" Did you mean “{suggestion}”?"
    return message
