"""Speech over the voice socket, in process: the client gets its answers, the stage's watchers the caption."""

import pytest
from channels.db import database_sync_to_async

from apps.studio.models import VideoJob
from tests.support.speech import utterance
from tests.support.ws import communicator, receive
from tests.voice.voice_ws import cookie_for, next_json, send_audio, send_json, until, voice_connect
from tests.voice.conftest import REQUEST

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_spoken_request_becomes_a_job_and_everyone_watching_sees_the_caption(operator, stage, seeded, settings):
    settings.VOICE_BURST_SECONDS = 30  # the whole sentence is sent at once here; the Daphne test streams in real time
    cookie = await cookie_for(operator)
    watcher = communicator(f"/ws/events/{stage.group}/", cookie=cookie)
    assert (await watcher.connect(timeout=5))[0]
    assert (await receive(watcher))["type"] == "hello"

    comm = await voice_connect(stage.slug, cookie=cookie)
    assert (await next_json(comm))["type"] == "ready"
    await send_json(comm, {"type": "start"})
    await send_audio(comm, utterance(REQUEST), frame_ms=40)
    await send_json(comm, {"type": "stop"})
    final, before = await until(comm, {"final", "refused"}, timeout=60)
    assert final["type"] == "final" and final["text"] == REQUEST
    assert before[0] == {"type": "listening", "speech": True}
    assert any(m["type"] == "partial" for m in before)
    job = await database_sync_to_async(VideoJob.objects.get)(stage=stage)
    assert str(job.id) == final["job"]

    captions = []
    while not captions or not captions[-1]["final"]:
        event = await receive(watcher, timeout=10)
        if event["type"] == "stage.caption":
            captions.append(event["payload"])
    assert captions[-1] == {"text": final["text"], "final": True}
    await comm.disconnect()
    await watcher.disconnect()


async def test_cancel_over_the_socket_drops_the_utterance(operator, stage, seeded, settings):
    settings.VOICE_BURST_SECONDS = 30
    comm = await voice_connect(stage.slug, cookie=await cookie_for(operator))
    assert (await next_json(comm))["type"] == "ready"
    await send_json(comm, {"type": "start"})
    await send_audio(comm, utterance(REQUEST, tail_s=0.0)[:16000 * 2])
    await send_json(comm, {"type": "cancel"})
    await send_json(comm, {"type": "stop"})
    await send_json(comm, {"type": "ping"})
    _, before = await until(comm, {"pong"})
    assert not [m for m in before if m["type"] in {"final", "refused"}]
    assert await database_sync_to_async(VideoJob.objects.filter(stage=stage).count)() == 0
    await comm.disconnect()
