"""The voice websocket ``/ws/voice/<stage-slug>/``: checks the audio, hands it to the pipeline.

Thin by design: cheap checks (auth, frame size, real-time budget, format) run here on the
event loop; everything that costs CPU runs in the session's lane on the voice threads
(apps/voice/pipeline.py). Protocol: docs/voice.md.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from apps.events.store import async_client
from apps.stage.models import VoiceMode

from . import audio
from .metrics import VOICE_REFUSED, VOICE_SOCKETS
from .pipeline import WAKE_PHRASE, SessionWorker, VoiceSession
from .selectors import voice_stage_find, voice_user_may_speak

MAX_TEXT_MESSAGE = 4096
# Queued and undecoded audio beyond this means the voice threads cannot keep up with us.
MAX_BACKLOG_S = 5.0
WATCH_INTERVAL_S = 1.0  # how often a socket checks that it is idle, or was replaced by a newer one
CLAIM_TTL_S = 10

# Daphne (autobahn) lets a server close only with 1000 or 3000-4999: no 1009/1011/1013 here.
CLOSE_TOO_LARGE = 4413
CLOSE_UNAVAILABLE = 4503
CLOSE_OVERLOADED = 4503
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_IDLE = 4408
CLOSE_REPLACED = 4409
CLOSE_UNSUPPORTED = 4415
CLOSE_FLOOD = 4429
FATAL_CLOSE = {"frame_too_large": CLOSE_TOO_LARGE, "flood": CLOSE_FLOOD, "unsupported_format": CLOSE_UNSUPPORTED}


def _json(message: dict) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


class VoiceConsumer(AsyncWebsocketConsumer):
    # No channel-layer channel: nothing is sent to a voice socket from elsewhere (the stage's
    # events travel on /ws/events/), so there is no receive loop to keep alive per socket.
    channel_layer_alias = "voice-sockets-take-no-channel-messages"
    stage = None
    worker: SessionWorker | None = None
    session: VoiceSession | None = None
    claim_key = ""
    claim_token = ""
    closing = False

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        user = self.scope.get("user")
        if not await database_sync_to_async(voice_user_may_speak)(user=user):
            await self._refuse("forbidden", "Speaking requests needs the operate permission: sign in with an "
                                            "account that may make requests.", CLOSE_FORBIDDEN)
            return
        self.stage = await database_sync_to_async(voice_stage_find)(slug=slug)
        if self.stage is None:
            await self._refuse("not_found", f"No stage is called {slug[:40]!r}.", CLOSE_NOT_FOUND)
            return
        if self.stage.voice_mode == VoiceMode.OFF:
            await self._refuse("voice_off", "Voice input is off for this stage (an admin can turn it on).",
                               CLOSE_FORBIDDEN)
            return
        await self.accept()
        VOICE_SOCKETS.inc()
        self.loop = asyncio.get_running_loop()
        self.outbox: asyncio.Queue[list[dict]] = asyncio.Queue()
        self.budget = audio.RealTimeBudget(burst_s=settings.VOICE_BURST_SECONDS)
        self.sniffer = audio.FormatSniffer()
        self.last_activity = time.monotonic()
        # One live voice socket per person per stage, on any process: the newest wins, so a
        # reloaded page never waits for its predecessor's socket to time out.
        self.claim_key = f"{settings.KEY_PREFIX}:voice:claim:{self.stage.pk}:{user.pk}"
        self.claim_token = secrets.token_hex(8)
        await async_client().set(self.claim_key, self.claim_token, ex=CLAIM_TTL_S)
        self.worker = SessionWorker(deliver=self._deliver, on_error=self._session_failed)
        self.worker.submit(self._session_open)
        self.tasks = [asyncio.ensure_future(self._sender()), asyncio.ensure_future(self._watch())]
        await self.send(text_data=_json({
            "type": "ready", **audio.FORMAT, "frame_ms": [audio.MIN_FRAME_MS, audio.MAX_FRAME_MS],
            "mode": self.stage.voice_mode, "wake_phrase": WAKE_PHRASE,
            "max_utterance_s": settings.VOICE_MAX_UTTERANCE_SECONDS, "idle_s": settings.VOICE_IDLE_SECONDS,
            "end_silence_ms": settings.VOICE_END_SILENCE_MS,
        }))

    async def _refuse(self, code: str, message: str, close_code: int) -> None:
        # Accepted first so that the page can show why; a refused handshake is an opaque 403.
        VOICE_REFUSED.labels(reason=code).inc()
        await self.accept()
        await self.send(text_data=_json({"type": "error", "code": code, "message": message}))
        await self.close(code=close_code, reason=code)

    async def disconnect(self, code: int) -> None:
        if self.worker is None:
            return
        VOICE_SOCKETS.dec()
        for task in self.tasks:
            task.cancel()
        self.worker.submit(self._session_close)
        self.worker = None
        client = async_client()
        if (await client.get(self.claim_key) or b"").decode() == self.claim_token:
            await client.delete(self.claim_key)

    # --- the session's lane (voice threads) --------------------------------------------

    def _session_open(self) -> None:
        session = VoiceSession(stage=self.stage, user=self.scope["user"], mode=self.stage.voice_mode)
        session.engine.warm()
        self.session = session

    def _feed(self, pcm: bytes, received_at: float) -> list[dict]:
        return self.session.feed(pcm, received_at=received_at) if self.session else []

    def _session_close(self) -> None:
        if self.session is not None:
            self.session.close()

    def _session_failed(self, exc: BaseException) -> None:
        if self.session is None:  # no engine: nothing this socket sends can be heard
            self._deliver([{"type": "error", "code": "unavailable", "close": CLOSE_UNAVAILABLE,
                            "message": "Speech recognition is not available on this server right now."}])
            return
        self.session.cancel()
        self._deliver([{"type": "error", "code": "internal",
                        "message": "That utterance could not be processed; please say it again."}])

    def _deliver(self, outputs: list[dict]) -> None:
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, outputs)

    async def _sender(self) -> None:
        while True:
            for message in await self.outbox.get():
                close = message.pop("close", None)
                if close:
                    await self._fatal(message["code"], message["message"], close)
                    return
                await self.send(text_data=_json(message))

    # --- client to server --------------------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        # Channels hops to the sync thread before every message to close stale database
        # connections; 50 audio frames a second per socket never touch the ORM here, and that
        # shared thread also serves every sync view.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
        else:
            await super().dispatch(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.worker is None or self.closing:
            return
        now = self.last_activity = time.monotonic()
        if bytes_data is not None:
            await self._audio(bytes_data, now)
        else:
            await self._control(text_data)

    async def _audio(self, pcm: bytes, now: float) -> None:
        problem = audio.frame_problem(pcm)
        if problem is None and not self.budget.spend(len(pcm) / (audio.SAMPLE_RATE * audio.SAMPLE_WIDTH)):
            problem = audio.FLOOD
        if problem is None:
            problem = self.sniffer.check(pcm)
        if problem is not None:
            await self._problem(problem)
            return
        if self.worker.backlog_s > MAX_BACKLOG_S:
            await self._fatal("overloaded", "The server cannot keep up with the audio right now; try again shortly.",
                              CLOSE_OVERLOADED)
            return
        self.worker.submit(lambda: self._feed(pcm, now), audio_s=len(pcm) / (audio.SAMPLE_RATE * audio.SAMPLE_WIDTH))

    async def _control(self, text: str) -> None:
        if len(text) > MAX_TEXT_MESSAGE:
            await self._fatal("too_large", f"Text messages are limited to {MAX_TEXT_MESSAGE} bytes.", CLOSE_TOO_LARGE)
            return
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self._fatal("bad_message", "Text messages are JSON objects with a \"type\" (start, stop, cancel, "
                                             "ping, format); audio goes in binary frames.", CLOSE_UNSUPPORTED)
            return
        kind = message["type"]
        if kind in ("start", "stop"):
            pressed = kind == "start"
            self.worker.submit(lambda: self.session.push_to_talk(pressed) if self.session else [])
        elif kind == "cancel":
            self.worker.submit(lambda: self.session.cancel() if self.session else [])
        elif kind == "ping":
            await self.send(text_data=_json({"type": "pong"}))
        elif kind == "format":
            problem = audio.format_problem(message)
            if problem is not None:
                await self._problem(problem)
        else:
            await self.send(text_data=_json({"type": "error", "code": "unknown_type",
                                             "message": "Known messages: start, stop, cancel, ping, format."}))

    async def _problem(self, problem: audio.Problem) -> None:
        if problem.fatal:
            await self._fatal(problem.code, problem.message, FATAL_CLOSE[problem.code])
        else:
            await self.send(text_data=_json({"type": "error", "code": problem.code, "message": problem.message}))

    async def _fatal(self, code: str, message: str, close_code: int) -> None:
        VOICE_REFUSED.labels(reason=code).inc()
        self.closing = True
        if self.worker is not None:
            self.worker.submit(lambda: self.session.cancel() if self.session else [])
        await self.send(text_data=_json({"type": "error", "code": code, "message": message}))
        await self.close(code=close_code, reason=code)

    async def _watch(self) -> None:
        idle = settings.VOICE_IDLE_SECONDS
        client = async_client()
        while not self.closing:
            remaining = self.last_activity + idle - time.monotonic()
            if remaining <= 0:
                await self._fatal("idle", f"Nothing was sent for {idle} s; reconnect to speak again.", CLOSE_IDLE)
                return
            holder = await client.get(self.claim_key)
            if holder is not None and holder.decode() != self.claim_token:
                await self._fatal("replaced", "Voice input for this stage was opened in another window.",
                                  CLOSE_REPLACED)
                return
            await client.set(self.claim_key, self.claim_token, ex=CLAIM_TTL_S)
            await asyncio.sleep(min(remaining, WATCH_INTERVAL_S))
