"""Through real processes: a browser-like client streams spoken audio in real time to Daphne; a VideoJob
is made and run by a real Celery worker, and a stage watcher on the same server sees the caption."""

import asyncio
import json
import time

import pytest
from channels.db import database_sync_to_async

from apps.studio.models import VideoJob
from tests.support import processes
from tests.support.speech import frames, utterance
from tests.support.users import session_cookie
from tests.support.ws import NetworkClient
from tests.voice.conftest import REQUEST

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def server(transactional_db):
    env = processes.subprocess_env(VOICE_WORKERS="1")
    with processes.celery_worker(env), processes.daphne(env) as host:
        yield host


async def voice_open(host: str, slug: str, cookie: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://{host}/ws/voice/{slug}/", origin=f"http://{host}",
                         additional_headers={"Cookie": cookie}, open_timeout=10)


async def next_json(connection, deadline: float) -> dict:
    return json.loads(await asyncio.wait_for(connection.recv(), max(0.01, deadline - time.monotonic())))


async def stream_in_real_time(connection, samples) -> None:
    """20 ms frames at the pace a microphone produces them (pacing the sender, not waiting for the server)."""
    start = time.monotonic()
    for n, frame in enumerate(frames(samples)):
        await connection.send(frame)
        ahead = start + (n + 1) * 0.02 - time.monotonic()
        if ahead > 0:
            await asyncio.sleep(ahead)


async def test_spoken_audio_becomes_a_video_job_and_the_stage_sees_the_caption(server, stage, operator, seeded):
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    cookie = await database_sync_to_async(session_cookie)(operator)
    with pytest.raises(InvalidStatus) as foreign:
        await connect(f"ws://{server}/ws/voice/{stage.slug}/", origin="https://evil.example",
                      additional_headers={"Cookie": cookie}, open_timeout=10)
    assert foreign.value.response.status_code == 403

    watcher = await NetworkClient.open(server, stage.group, cookie=cookie)
    assert (await watcher.receive())["type"] == "hello"

    voice = await voice_open(server, stage.slug, cookie)
    deadline = time.monotonic() + 30
    assert (await next_json(voice, deadline))["type"] == "ready"
    await voice.send(json.dumps({"type": "start"}))
    await stream_in_real_time(voice, utterance(REQUEST))
    await voice.send(json.dumps({"type": "stop"}))
    deadline = time.monotonic() + 60
    seen = []
    while not seen or seen[-1]["type"] not in {"final", "refused", "error"}:
        seen.append(await next_json(voice, deadline))
    final = seen[-1]
    assert final["type"] == "final", seen
    assert final["text"] == REQUEST
    timings = final["timings"]
    # Streamed in real time, the turn ends on the short silence after a whole command, not on "stop".
    assert final["ended_by"] == "complete" and timings["vad_end"] >= 140
    assert timings["total"] >= timings["vad_end"] + timings["stt"] + timings["plan"] - 5

    job = await database_sync_to_async(VideoJob.objects.get)(stage=stage)
    assert str(job.id) == final["job"] and job.requester_id == operator.pk

    caption = None
    job_states = set()
    deadline = time.monotonic() + 120
    while caption is None or not job_states & {"planning", "rendering", "ready"}:
        event = await watcher.receive(timeout=max(0.01, deadline - time.monotonic()))
        if event["type"] == "stage.caption" and event["payload"]["final"]:
            caption = event["payload"]
        if event["type"] == "stage.job" and event["payload"]["job"] == final["job"]:
            job_states.add(event["payload"]["state"])  # the Celery worker picked the job up
    assert caption == {"text": final["text"], "final": True}
    await voice.close()
    await watcher.close()
