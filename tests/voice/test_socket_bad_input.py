"""Bad input on the voice socket: each case gets a clear error or close code, and nothing else suffers."""

import numpy as np
import pytest
from channels.db import database_sync_to_async

from apps.studio.models import VideoJob
from tests.support.speech import frames, silence, utterance, with_noise
from tests.voice.conftest import REQUEST, stage_make
from tests.voice.voice_ws import closed_with, cookie_for, next_json, send_audio, send_json, until, voice_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def ready_socket(slug: str, user):
    comm = await voice_connect(slug, cookie=await cookie_for(user))
    assert (await next_json(comm))["type"] == "ready"
    return comm


async def still_answers(comm) -> None:
    await send_json(comm, {"type": "ping"})
    await until(comm, {"pong"}, timeout=10)


async def test_it_drops_an_odd_length_or_too_short_frame_with_an_error_and_carries_on(operator, stage):
    comm = await ready_socket(stage.slug, operator)
    await comm.send_to(bytes_data=b"\0" * 641)
    assert (await next_json(comm))["code"] == "odd_frame"
    await comm.send_to(bytes_data=b"\0" * 100)
    short = await next_json(comm)
    assert short["code"] == "short_frame" and "320" in short["message"]
    await still_answers(comm)
    await comm.disconnect()


async def test_it_closes_on_an_oversized_frame(operator, stage):
    comm = await ready_socket(stage.slug, operator)
    await comm.send_to(bytes_data=b"\0" * 64_000)
    error = await next_json(comm)
    assert error["code"] == "frame_too_large" and await closed_with(comm) == 4413
    await comm.disconnect()


@pytest.mark.parametrize("announced", [
    {"sample_rate": 48000}, {"sample_format": "f32le"}, {"channels": 2},
])
async def test_it_closes_when_the_client_announces_another_format(operator, stage, announced):
    comm = await ready_socket(stage.slug, operator)
    await send_json(comm, {"type": "format", **announced})
    error = await next_json(comm)
    assert error["code"] == "unsupported_format" and "16 kHz mono s16le" in error["message"]
    assert await closed_with(comm) == 4415
    await comm.disconnect()


async def test_it_accepts_a_format_message_that_announces_the_right_format(operator, stage):
    comm = await ready_socket(stage.slug, operator)
    await send_json(comm, {"type": "format", "sample_rate": 16000, "sample_format": "s16le", "channels": 1})
    await still_answers(comm)
    await comm.disconnect()


@pytest.mark.parametrize("kind", ["float32", "random bytes"])
async def test_it_closes_on_audio_that_is_not_s16le(operator, stage, kind):
    comm = await ready_socket(stage.slug, operator)
    if kind == "float32":
        speech = utterance(REQUEST, lead_s=0.1)
        data = (speech.astype(np.float32) / 32768).astype("<f4").tobytes()
        chunks = [data[i:i + 1280] for i in range(0, 1280 * 50, 1280)]  # 1280 bytes: a 20 ms float frame
    else:
        rng = np.random.default_rng(7)
        chunks = [rng.bytes(640) for _ in range(50)]
    for chunk in chunks:
        await comm.send_to(bytes_data=chunk)
    error, _ = await until(comm, {"error"})
    assert error["code"] == "unsupported_format" and await closed_with(comm) == 4415
    await comm.disconnect()


async def test_it_closes_on_text_that_is_not_a_message_and_answers_unknown_types(operator, stage):
    comm = await ready_socket(stage.slug, operator)
    await send_json(comm, {"type": "louder"})
    assert (await next_json(comm))["code"] == "unknown_type"
    await comm.send_to(text_data="RIFF....WAVEfmt garbage")
    error = await next_json(comm)
    assert error["code"] == "bad_message" and await closed_with(comm) == 4415
    await comm.disconnect()


async def test_it_closes_a_socket_that_never_sends(operator, stage, settings):
    settings.VOICE_IDLE_SECONDS = 1
    comm = await ready_socket(stage.slug, operator)
    error = await next_json(comm, timeout=10)
    assert error["code"] == "idle" and await closed_with(comm) == 4408
    await comm.disconnect()


async def test_a_flood_closes_only_the_flooding_socket(operator, seeded, settings):
    calm_stage = await database_sync_to_async(stage_make)()
    flood_stage = await database_sync_to_async(stage_make)()
    settings.VOICE_BURST_SECONDS = 30  # the calm client sends its 4 s sentence at once
    calm = await ready_socket(calm_stage.slug, operator)
    settings.VOICE_BURST_SECONDS = 2
    flooder = await ready_socket(flood_stage.slug, operator)

    for frame in frames(silence(3.0)):  # 3 s of audio in no time: 1 s beyond the burst
        await flooder.send_to(bytes_data=frame)
    error, _ = await until(flooder, {"error"})
    assert error["code"] == "flood" and await closed_with(flooder) == 4429

    await send_json(calm, {"type": "start"})
    await send_audio(calm, utterance(REQUEST))
    await send_json(calm, {"type": "stop"})
    final, _ = await until(calm, {"final", "refused"}, timeout=60)
    assert final["type"] == "final", final
    assert await database_sync_to_async(VideoJob.objects.filter(stage=calm_stage).count)() == 1
    await flooder.disconnect()
    await calm.disconnect()


async def test_push_to_talk_over_silence_or_noise_makes_nothing_and_says_so(operator, stage, settings):
    settings.VOICE_BURST_SECONDS = 30
    comm = await ready_socket(stage.slug, operator)
    await send_json(comm, {"type": "start"})
    await send_audio(comm, silence(2.0))
    await send_json(comm, {"type": "stop"})
    refused, _ = await until(comm, {"refused", "final"})
    assert refused["type"] == "refused" and refused["reason"] == "no_speech"
    assert "didn't hear" in refused["message"]

    await send_json(comm, {"type": "start"})
    await send_audio(comm, with_noise(np.concatenate([silence(0.3), utterance("mm")]), snr_db=-10)[:16000 * 3])
    await send_json(comm, {"type": "stop"})
    outcome, _ = await until(comm, {"refused", "final"}, timeout=30)
    assert outcome["type"] == "refused"
    assert await database_sync_to_async(VideoJob.objects.filter(stage=stage).count)() == 0
    await comm.disconnect()
