"""Who may open the voice socket, for which stage: the request box's `operate` permission, a stage that exists and listens."""

import pytest
from channels.db import database_sync_to_async

from tests.support.users import user_with_role
from tests.support.ws import communicator
from tests.voice.conftest import stage_make
from tests.voice.voice_ws import closed_with, cookie_for, next_json, voice_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def refused(slug: str, cookie: str | None) -> tuple[dict, int]:
    comm = await voice_connect(slug, cookie=cookie)
    error = await next_json(comm)
    code = await closed_with(comm)
    await comm.disconnect()
    return error, code


@pytest.mark.parametrize("role", [None, "norole", "viewer"])
async def test_it_refuses_people_who_may_not_make_requests(role):
    stage = await database_sync_to_async(stage_make)()
    cookie = None
    if role:
        user = await database_sync_to_async(user_with_role)(None if role == "norole" else role, username=f"v-{role}")
        cookie = await cookie_for(user)
    error, code = await refused(stage.slug, cookie)
    assert error == {"type": "error", "code": "forbidden", "message": error["message"]}
    assert "operate" in error["message"] and code == 4403


async def test_it_says_when_there_is_no_such_stage(operator):
    error, code = await refused("no-such-stage", await cookie_for(operator))
    assert error["code"] == "not_found" and code == 4404


async def test_it_refuses_a_stage_whose_voice_is_off(operator):
    stage = await database_sync_to_async(stage_make)(voice_mode="off")
    error, code = await refused(stage.slug, await cookie_for(operator))
    assert error["code"] == "voice_off" and "off" in error["message"] and code == 4403


async def test_it_refuses_a_foreign_origin_before_the_consumer_runs(operator, stage):
    comm = communicator(f"/ws/voice/{stage.slug}/", cookie=await cookie_for(operator),
                        origin=(b"origin", b"https://evil.example"))
    connected, _ = await comm.connect(timeout=5)
    assert not connected  # the handshake is denied (Daphne answers it with HTTP 403)
    await comm.disconnect()


async def test_it_says_ready_with_the_format_and_the_stages_mode(operator, wake_stage, settings):
    comm = await voice_connect(wake_stage.slug, cookie=await cookie_for(operator))
    ready = await next_json(comm)
    assert ready == {
        "type": "ready", "sample_rate": 16000, "sample_format": "s16le", "channels": 1, "frame_ms": [10, 60],
        "mode": "wake_phrase", "wake_phrase": "VisionSpace", "max_utterance_s": settings.VOICE_MAX_UTTERANCE_SECONDS,
        "idle_s": settings.VOICE_IDLE_SECONDS, "end_silence_ms": settings.VOICE_END_SILENCE_MS,
    }
    await comm.disconnect()


async def test_a_second_socket_of_the_same_person_on_the_same_stage_replaces_the_first(operator, stage):
    cookie = await cookie_for(operator)
    first = await voice_connect(stage.slug, cookie=cookie)
    assert (await next_json(first))["type"] == "ready"
    second = await voice_connect(stage.slug, cookie=cookie)
    assert (await next_json(second))["type"] == "ready"
    error = await next_json(first)
    assert error["code"] == "replaced" and await closed_with(first) == 4409
    await second.send_to(text_data='{"type": "ping"}')
    assert (await next_json(second)) == {"type": "pong"}
    await first.disconnect()
    await second.disconnect()
