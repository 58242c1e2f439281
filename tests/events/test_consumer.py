"""The event websocket, in process, against the real Redis channel layer and event log."""

import json

import pytest
from asgiref.sync import sync_to_async

from apps.events import store
from apps.events.services import event_apublish
from tests.support.ws import communicator, receive, receive_events

pytestmark = pytest.mark.django_db(transaction=True)


async def ping(group: str, nonce: str):
    return await event_apublish(group=group, type="system.ping", payload={"nonce": nonce})


async def connect(group: str, **kwargs):
    comm = communicator(f"/ws/events/{group}/", **kwargs)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    return comm


async def test_it_says_hello_with_the_groups_newest_seq():
    await ping("public.hello", "before")
    comm = await connect("public.hello")
    hello = await receive(comm)
    assert hello["type"] == "hello" and hello["seq"] == 1 and hello["epoch"]
    assert hello["heartbeat_s"] == 30
    await comm.disconnect()


async def test_it_delivers_live_events_in_order():
    comm = await connect("public.live")
    await receive(comm)  # hello
    for n in range(20):
        await ping("public.live", str(n))
    events = await receive_events(comm, 20)
    assert [e["seq"] for e in events] == list(range(1, 21))
    assert [e["payload"]["nonce"] for e in events] == [str(n) for n in range(20)]
    await comm.disconnect()


async def test_it_replays_exactly_what_a_client_missed_on_resume():
    comm = await connect("public.resume")
    await receive(comm)
    await ping("public.resume", "seen")
    [seen] = await receive_events(comm, 1)
    await comm.disconnect()

    for n in range(5):
        await ping("public.resume", f"missed-{n}")

    comm = await connect("public.resume")
    hello = await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "resume", "after": seen["seq"], "epoch": hello["epoch"]}))
    replayed = await receive_events(comm, 5)
    resumed = await receive(comm)
    assert [e["payload"]["nonce"] for e in replayed] == [f"missed-{n}" for n in range(5)]
    assert resumed == {"type": "resumed", "v": 1, "after": 1, "replayed": 5, "seq": 6}
    await ping("public.resume", "live-again")
    [live] = await receive_events(comm, 1)
    assert live["seq"] == 7
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_it_fills_a_gap_when_an_event_overtakes_its_predecessor():
    """Publishers on two processes race: seq 2 reaches the group before seq 1 does."""
    comm = await connect("public.gap")
    await receive(comm)
    # seq 1 is in the log but its live delivery is "late" (never sent to the group).
    await sync_to_async(store.append)("public.gap", '{"type":"system.ping","v":1,"group":"public.gap","ts":"2026-01-01T00:00:00.000Z","payload":{"nonce":"late"}}')
    await ping("public.gap", "early")
    events = await receive_events(comm, 2)
    assert [(e["seq"], e["payload"]["nonce"]) for e in events] == [(1, "late"), (2, "early")]
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_it_tells_the_client_to_reload_when_the_missed_events_are_gone(settings):
    settings.EVENTS_RETAIN = 100
    comm = await connect("public.expired")
    hello = await receive(comm)
    await comm.disconnect()
    for n in range(600):
        await ping("public.expired", str(n))
    comm = await connect("public.expired")
    await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "resume", "after": 0, "epoch": hello["epoch"] or ""}))
    reset = await receive(comm)
    assert reset["type"] == "reset" and reset["reason"] == "expired" and reset["seq"] == 600
    await comm.disconnect()


async def test_it_resets_a_client_from_another_epoch():
    await ping("public.epoch", "x")
    comm = await connect("public.epoch")
    await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "resume", "after": 1, "epoch": "from-a-lost-redis"}))
    reset = await receive(comm)
    assert reset["type"] == "reset" and reset["reason"] == "epoch_changed"
    await comm.disconnect()


async def test_it_resets_a_client_that_claims_a_future_seq():
    comm = await connect("public.future")
    await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "resume", "after": 999}))
    reset = await receive(comm)
    assert reset["type"] == "reset" and reset["reason"] == "ahead" and reset["seq"] == 0
    await comm.disconnect()


async def test_it_answers_ping_with_pong():
    comm = await connect("public")
    await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "ping", "nonce": "abc"}))
    assert await receive(comm) == {"type": "pong", "v": 1, "nonce": "abc"}
    await comm.disconnect()


@pytest.mark.parametrize(
    "text, code",
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('{"type": "launch"}', "unknown_type"),
        ('{"type": "resume", "after": -1}', "bad_message"),
        ('{"type": "resume", "after": "7"}', "bad_message"),
        ('{"type": "resume", "after": true}', "bad_message"),
    ],
)
async def test_it_explains_bad_messages_and_stays_open(text, code):
    comm = await connect("public")
    await receive(comm)
    await comm.send_to(text_data=text)
    error = await receive(comm)
    assert error["type"] == "error" and error["code"] == code and error["message"]
    await comm.send_to(text_data='{"type": "ping"}')
    assert (await receive(comm))["type"] == "pong"
    await comm.disconnect()


async def test_it_closes_on_binary_frames():
    comm = await connect("public")
    await receive(comm)
    await comm.send_to(bytes_data=b"\x00\x01")
    assert (await receive(comm))["code"] == "bad_message"
    assert (await comm.receive_output(timeout=3))["code"] == 1003


async def test_it_closes_on_oversized_messages():
    comm = await connect("public")
    await receive(comm)
    await comm.send_to(text_data=json.dumps({"type": "ping", "nonce": "x" * 10_000}))
    assert (await receive(comm))["code"] == "too_large"
    assert (await comm.receive_output(timeout=3))["code"] == 1009


async def test_it_sends_heartbeats(settings):
    settings.EVENTS_HEARTBEAT_SECONDS = 1
    comm = await connect("public")
    hello = await receive(comm)
    assert hello["heartbeat_s"] == 1
    beat = await receive(comm, timeout=3)
    assert beat["type"] == "heartbeat" and beat["last_seq"] == hello["seq"]
    await comm.disconnect()
