"""``VoiceSession``: PCM in, studio requests out — the same for the browser socket and a call bot.

A session is synchronous and single-threaded by contract: the transport hands its calls
to ``SessionWorker`` (one ordered lane per session on the process's voice thread pool) and
sends back the output dicts (docs/voice.md, "Pipeline" and "Websocket protocol").

States: ``idle`` (push-to-talk released / waiting for speech) → ``armed`` (pressed, no
speech yet) → ``speaking`` (a recogniser is being fed) → ``done`` (push-to-talk: the turn
ended while the button is still held; audio is dropped until it is released).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from django.conf import settings
from django.db import close_old_connections

from apps.stage.models import Stage, VoiceMode
from apps.studio.services import RequestRefused

from .metrics import VOICE_LATENCY, VOICE_UTTERANCES
from .services import caption_partial_announce, utterance_refuse, utterance_submit
from .stt.base import SAMPLE_RATE, SAMPLE_WIDTH, Recognizer, SpeechEngine, Transcript
from .vad import TurnDetector

log = logging.getLogger(__name__)

WAKE_PHRASE = "VisionSpace"
NO_SPEECH = "I didn't hear anything — hold the button while you speak."
_WAKE = re.compile(r"^\W*(?:(?:hey|ok)\W+)?(?:vision\W*space)\b\W*", re.IGNORECASE)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def speech_engine() -> SpeechEngine:
    from .stt import speech_engine as engine  # loaded once per process by the stt package

    return engine()


def refusal_message(*, suggestion: str | None, reason: str = "") -> str:
    from .stt import refusal_message as message

    return message(suggestion=suggestion, reason=reason)


class VoiceSession:
    def __init__(self, *, stage: Stage, user, mode: str, engine: SpeechEngine | None = None,
                 clock: Callable[[], float] = time.monotonic):
        if mode not in (VoiceMode.PUSH_TO_TALK, VoiceMode.WAKE_PHRASE):
            raise ValueError(f"voice mode {mode!r} takes no audio")
        self.stage, self.user, self.mode = stage, user, mode
        self.engine = engine or speech_engine()
        self.clock = clock
        self.vad = TurnDetector()
        self.state = "idle"
        self.recognizer: Recognizer | None = None
        self.adaptation: dict = {}  # what the engine learns about this source's channel (base.py)
        self._utterance_s = 0.0  # audio since the press (push-to-talk) or the speech start (wake phrase)
        self._last_speech_at = 0.0  # wall clock when the frame holding the last speech arrived
        self._partial_at = 0.0
        self._partial = ""
        self._last_speech_s = 0.0
        self._settle_asked = False  # whether this quiet stretch already asked the recogniser

    # --- the transport's calls ---------------------------------------------------------

    def feed(self, pcm: bytes, *, received_at: float | None = None) -> list[dict]:
        received_at = self.clock() if received_at is None else received_at
        if self.state == "closed":
            return []
        # The detector hears everything, pressed or not, so it knows the room's noise by the time
        # someone speaks; its events count only while the session listens.
        events = self.vad.feed(pcm)
        if self.state == "done" or (self.mode == VoiceMode.PUSH_TO_TALK and self.state == "idle"):
            return []
        out: list[dict] = []
        if self.vad.last_speech_s != self._last_speech_s:
            self._last_speech_s, self._last_speech_at = self.vad.last_speech_s, received_at
        for event in events:
            if self.state == "done":
                break
            if event.kind == "start":
                out.append({"type": "listening", "speech": True})
                self.state = "speaking"
                self.recognizer = self.engine.recognizer(wake_phrase_required=self.mode == VoiceMode.WAKE_PHRASE,
                                                         adaptation=self.adaptation)
                if self.mode == VoiceMode.WAKE_PHRASE:
                    self._utterance_s = 0.0
                out += self._recognize(event.pcm)
            elif event.kind == "audio" and self.recognizer is not None:
                out += self._recognize(event.pcm)
            elif event.kind == "end" and self.state == "speaking":
                out += self._turn_end(reason="silence")
        if self.state == "speaking" and self._settled():
            out += self._turn_end(reason="complete")
        self._utterance_s += len(pcm) / (SAMPLE_RATE * SAMPLE_WIDTH)
        if self._utterance_s >= settings.VOICE_MAX_UTTERANCE_SECONDS and self.state in ("armed", "speaking"):
            out += self._turn_end(reason="max_length")
        return out

    def push_to_talk(self, pressed: bool) -> list[dict]:
        if self.mode != VoiceMode.PUSH_TO_TALK:
            return []
        if pressed:
            if self.state == "idle" or self.state == "done":
                self._reset("armed")
            return []
        if self.state in ("armed", "speaking"):
            return self._turn_end(reason="released")
        self._reset("idle")
        return []

    def cancel(self) -> list[dict]:
        speaking = self.state == "speaking"
        self._drop_recognizer()
        self._reset("idle")
        return [{"type": "listening", "speech": False}] if speaking else []

    def close(self) -> None:
        self._drop_recognizer()
        self.state = "closed"

    # --- a turn ------------------------------------------------------------------------

    def _recognize(self, pcm: bytes) -> list[dict]:
        partial = self.recognizer.feed(pcm) if pcm else None
        if not partial:
            return []
        if self.mode == VoiceMode.WAKE_PHRASE:
            # Room talk that is not addressed to VisionSpace is nobody's business: not on screen.
            match = _WAKE.match(partial)
            if not match:
                return []
            partial = partial[match.end():]
            if not partial:
                return []
        if partial == self._partial:
            return []
        self._partial = partial
        now = self.clock()
        if now - self._partial_at >= settings.VOICE_PARTIAL_INTERVAL_MS / 1000:
            self._partial_at = now
            caption_partial_announce(stage=self.stage, text=partial)
        return [{"type": "partial", "text": partial}]

    def _settled(self) -> bool:
        """A short silence after words that already make a whole command ends the turn: people
        stop and wait there, and the full VOICE_END_SILENCE_MS is for pauses inside a sentence
        (docs/voice.md, "Voice activity detection"). Asked once per quiet stretch."""
        threshold_ms = settings.VOICE_COMPLETE_SILENCE_MS
        if threshold_ms <= 0 or self.vad.quiet_s * 1000 < threshold_ms:
            self._settle_asked = False
            return False
        if self._settle_asked or self.recognizer is None:
            return False
        self._settle_asked = True
        return self.recognizer.settled()

    def _turn_end(self, *, reason: str) -> list[dict]:
        decided = self.clock()
        out = [{"type": "listening", "speech": False}] if self.state == "speaking" else []
        recognizer, self.recognizer = self.recognizer, None
        self._reset("done" if self.mode == VoiceMode.PUSH_TO_TALK and reason != "released" else "idle")
        if recognizer is None:
            if self.mode == VoiceMode.PUSH_TO_TALK:
                VOICE_UTTERANCES.labels(outcome="no_speech").inc()
                out.append({"type": "refused", "reason": "no_speech", "text": "", "message": NO_SPEECH,
                            "suggestion": None})
            return out
        transcript = recognizer.finish()
        recognized = self.clock()
        timings = {"vad_end": _ms(decided - self._last_speech_at), "stt": _ms(recognized - decided)}
        # A refused transcript may not say whether the wake phrase was heard; its text does.
        addressed = transcript.wake_phrase or bool(_WAKE.match(transcript.text))
        if self.mode == VoiceMode.WAKE_PHRASE and not addressed:
            VOICE_UTTERANCES.labels(outcome="not_addressed").inc()
            log.info("voice: utterance without the wake phrase ignored", extra={"stage": self.stage.slug})
            return out
        reply = self._act(transcript, timings, recognized, reason)
        VOICE_UTTERANCES.labels(outcome=reply.get("reason", reply["type"])).inc()
        if reply["type"] == "final":
            VOICE_LATENCY.observe(timings["total"] / 1000)
        out.append(reply)
        return out

    def _act(self, transcript: Transcript, timings: dict, recognized: float, reason: str) -> dict:
        heard = transcript.text
        if not transcript.accepted:
            message = refusal_message(suggestion=transcript.suggestion, reason=transcript.reason)
            utterance_refuse(stage=self.stage, heard=heard, message=message, suggestion=transcript.suggestion)
            return {"type": "refused", "reason": "not_understood", "text": heard, "message": message,
                    "suggestion": transcript.suggestion, "timings": timings}
        try:
            job = utterance_submit(stage=self.stage, requester=self.user, text=heard)
        except RequestRefused as refused:  # job_request announced it to the stage already
            return {"type": "refused", "reason": "refused", "text": heard, "message": refused.message,
                    "suggestion": (refused.suggestions or [None])[0], "timings": timings}
        done = self.clock()
        timings.update(plan=_ms(done - recognized), total=_ms(done - self._last_speech_at))
        log.info("voice: request queued", extra={"stage": self.stage.slug, "job": str(job.id), "timings": timings,
                                                 "engine": transcript.engine, "ended_by": reason})
        return {"type": "final", "text": heard, "job": str(job.id), "timings": timings, "ended_by": reason}

    def _reset(self, state: str) -> None:
        self.state = state
        self.vad.reset()
        self._utterance_s = 0.0
        self._partial = ""
        self._settle_asked = False

    def _drop_recognizer(self) -> None:
        recognizer, self.recognizer = self.recognizer, None
        if recognizer is not None:
            recognizer.cancel()


# --- threads -------------------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def voice_pool() -> ThreadPoolExecutor:
    """The process's voice threads (VOICE_WORKERS): VAD, decoding and the studio call all run here."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=settings.VOICE_WORKERS, thread_name_prefix="voice")
        return _pool


class SessionWorker:
    """One session's calls, in the order they were made, never two at once, on the shared pool.

    A lane takes one pool thread while it has work and gives it back after each call, so a
    long decode on one stage delays other sessions by at most one call.
    """

    def __init__(self, deliver: Callable[[list[dict]], None], on_error: Callable[[BaseException], None]):
        self._deliver, self._on_error = deliver, on_error
        self._calls: deque[tuple[Callable[[], list[dict] | None], float]] = deque()
        self._lock = threading.Lock()
        self._running = False
        self.backlog_s = 0.0  # audio seconds queued and not yet processed

    def submit(self, call: Callable[[], list[dict] | None], *, audio_s: float = 0.0) -> None:
        with self._lock:
            self._calls.append((call, audio_s))
            self.backlog_s += audio_s
            if self._running:
                return
            self._running = True
        voice_pool().submit(self._run_one)

    def _run_one(self) -> None:
        with self._lock:
            call, audio_s = self._calls.popleft()
        try:
            outputs = call()
            if outputs:
                self._deliver(outputs)
        except BaseException as exc:  # noqa: BLE001 - a broken session must not take the lane's thread with it
            log.exception("voice session call failed")
            self._on_error(exc)
        finally:
            close_old_connections()
            with self._lock:
                self.backlog_s -= audio_s
                more = bool(self._calls)
                self._running = more
            if more:
                voice_pool().submit(self._run_one)
