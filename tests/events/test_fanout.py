"""The process-local fan-out (apps/events/fanout.py) and what each socket keeps per client:
one channel-layer subscription per process and group, cleaned up when the last socket
leaves; order, gaps, epochs and slow sockets, against the real Redis layer and log."""

import asyncio
import json

import pytest
import redis as redis_lib
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from apps.events import consumers, fanout, store
from apps.events.services import event_apublish
from tests.support.ws import communicator, receive, receive_events

pytestmark = pytest.mark.django_db(transaction=True)


async def ping(group: str, nonce: str):
    return await event_apublish(group=group, type="system.ping", payload={"nonce": nonce})


async def connect(group: str):
    comm = communicator(f"/ws/events/{group}/")
    connected, _ = await comm.connect(timeout=5)
    assert connected
    hello = await receive(comm)
    assert hello["type"] == "hello"
    return comm


def layer_members(group: str) -> list[bytes]:
    """Channel names in the channel layer's group, read straight from Redis."""
    layer = get_channel_layer()
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    try:
        return client.zrange(layer._group_key(group), 0, -1)
    finally:
        client.close()


async def settled() -> None:
    """Let the hub's background unsubscribes finish."""
    hub = fanout.current_hub()
    for _ in range(100):
        if hub is None or not hub._tasks:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the hub's tasks did not finish")


def our_tasks() -> set[asyncio.Task]:
    current = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not current and not t.done()}


async def test_a_process_subscribes_once_per_group_and_the_last_socket_leaving_unsubscribes():
    before = our_tasks()
    comms = [await connect("public.once") for _ in range(3)]
    members = await sync_to_async(layer_members)("public.once")
    hub = fanout.current_hub()
    assert members == [hub.channel.encode()]
    assert len(hub.members("public.once")) == 3

    await ping("public.once", "to-all")
    for comm in comms:
        [event] = await receive_events(comm, 1)
        assert event["payload"]["nonce"] == "to-all"

    await comms[0].disconnect()
    await comms[1].disconnect()
    await settled()
    assert await sync_to_async(layer_members)("public.once") == [hub.channel.encode()]
    assert len(hub.members("public.once")) == 1

    await comms[2].disconnect()
    await settled()
    assert await sync_to_async(layer_members)("public.once") == []
    assert fanout.current_hub() is None  # reader stopped, hub dropped
    await asyncio.sleep(0.05)
    assert our_tasks() - before == set(), "tasks left behind after every socket left"


async def test_a_socket_joining_while_the_last_one_leaves_stays_subscribed():
    first = await connect("public.rejoin")
    await first.disconnect()  # the hub's group_discard now runs in the background...
    second = await connect("public.rejoin")  # ...and this group_add must come after it
    await settled()
    assert len(await sync_to_async(layer_members)("public.rejoin")) == 1
    await ping("public.rejoin", "still-here")
    [event] = await receive_events(second, 1)
    assert event["payload"]["nonce"] == "still-here"
    await second.disconnect()


async def test_a_cancelled_socket_releases_its_subscription():
    """Daphne cancels an application that does not finish after the client left."""
    comm = await connect("public.cancelled")
    comm.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await comm.future
    await settled()
    assert await sync_to_async(layer_members)("public.cancelled") == []
    assert fanout.current_hub() is None


async def test_sockets_of_different_groups_get_only_their_groups_events():
    a = await connect("public.ga")
    b = await connect("public.gb")
    await ping("public.ga", "for-a")
    await ping("public.gb", "for-b")
    [ea] = await receive_events(a, 1)
    [eb] = await receive_events(b, 1)
    assert (ea["payload"]["nonce"], eb["payload"]["nonce"]) == ("for-a", "for-b")
    assert await a.receive_nothing(timeout=0.2) and await b.receive_nothing(timeout=0.2)
    await a.disconnect()
    await b.disconnect()


async def test_a_backed_up_socket_does_not_hold_up_the_others_and_catches_up_from_the_log():
    slow = await connect("public.slow")
    fast = await connect("public.slow")
    hub = fanout.current_hub()
    slow_consumer = hub.members("public.slow")[0]
    slow_consumer.socket_backed_up()  # what Twisted says when the socket's write buffer is full

    for n in range(5):
        await ping("public.slow", str(n))
    assert [e["seq"] for e in await receive_events(fast, 5)] == [1, 2, 3, 4, 5]
    assert await slow.receive_nothing(timeout=0.2)

    slow_consumer.socket_drained()
    assert [e["seq"] for e in await receive_events(slow, 5)] == [1, 2, 3, 4, 5]
    await ping("public.slow", "live")
    [live] = await receive_events(slow, 1)
    assert live["seq"] == 6
    assert await slow.receive_nothing(timeout=0.2)
    await slow.disconnect()
    await fast.disconnect()


async def test_a_socket_too_far_behind_drops_its_queue_and_reads_the_log(monkeypatch):
    monkeypatch.setattr(consumers, "PENDING_LIMIT", 3)
    comm = await connect("public.overflow")
    member = fanout.current_hub().members("public.overflow")[0]
    member.socket_backed_up()
    for n in range(10):
        await ping("public.overflow", str(n))
    await asyncio.sleep(0.1)
    assert len(member._pending) <= 3
    member.socket_drained()
    events = await receive_events(comm, 10)
    assert [e["seq"] for e in events] == list(range(1, 11))
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_a_socket_behind_what_the_log_keeps_is_told_to_reload(settings, monkeypatch):
    settings.EVENTS_RETAIN = 100
    monkeypatch.setattr(consumers, "PENDING_LIMIT", 3)
    comm = await connect("public.toolate")
    member = fanout.current_hub().members("public.toolate")[0]
    member.socket_backed_up()
    for n in range(600):
        await ping("public.toolate", str(n))
    member.socket_drained()
    reset = await receive(comm)
    assert reset["type"] == "reset" and reset["reason"] == "expired" and reset["seq"] == 600
    await ping("public.toolate", "after")
    [event] = await receive_events(comm, 1)
    assert event["seq"] == 601
    await comm.disconnect()


async def test_a_live_event_from_a_new_epoch_resets_the_client_first(redis_client):
    comm = await connect("public.newepoch")
    await ping("public.newepoch", "old")
    await receive_events(comm, 1)
    old_epoch = (await store.ahead("public.newepoch")).epoch
    # Redis lost the group's log: the next event starts a new epoch at seq 1.
    await sync_to_async(redis_client.delete)(*store._keys("public.newepoch"))
    await ping("public.newepoch", "new")
    reset = await receive(comm)
    assert reset["type"] == "reset" and reset["reason"] == "epoch_changed" and reset["seq"] == 0
    [new] = await receive_events(comm, 1)
    assert new["seq"] == 1 and new["payload"]["nonce"] == "new"
    assert reset["epoch"] and reset["epoch"] != old_epoch
    await comm.disconnect()


async def test_live_events_during_a_resume_stay_in_order_without_duplicates():
    comm = await connect("public.resumerace")
    for n in range(5):
        await ping("public.resumerace", f"a{n}")
    await receive_events(comm, 5)

    await comm.send_to(text_data=json.dumps({"type": "resume", "after": 0}))
    await asyncio.gather(*(ping("public.resumerace", f"b{n}") for n in range(10)))
    seqs = []
    while not seqs or seqs[-1] < 15:
        message = await receive(comm)
        if message["type"] == "system.ping":
            seqs.append(message["seq"])
    assert seqs == list(range(1, 16))  # the replay from 1, then live events, each once
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_the_hub_reads_a_gap_once_for_all_its_sockets(monkeypatch):
    comms = [await connect("public.hubgap") for _ in range(3)]
    await ping("public.hubgap", "first")
    for comm in comms:
        await receive_events(comm, 1)
    reads = []
    real_aread = store.aread

    async def counted(*args, **kwargs):
        reads.append(args)
        return await real_aread(*args, **kwargs)

    monkeypatch.setattr(store, "aread", counted)
    # seq 2 is in the log, but its live delivery never comes (another process, a lost message).
    await sync_to_async(store.append)("public.hubgap", '{"type":"system.ping","v":1,"group":"public.hubgap","ts":"2026-01-01T00:00:00.000Z","payload":{"nonce":"late"}}')
    await ping("public.hubgap", "third")
    for comm in comms:
        events = await receive_events(comm, 2)
        assert [(e["seq"], e["payload"]["nonce"]) for e in events] == [(2, "late"), (3, "third")]
    assert len(reads) == 1  # the hub's, not one per socket
    for comm in comms:
        assert await comm.receive_nothing(timeout=0.1)
        await comm.disconnect()


async def test_the_first_event_of_a_group_born_after_the_socket_joined():
    comm = await connect("public.newborn")
    await ping("public.newborn", "first")
    [event] = await receive_events(comm, 1)
    assert event["seq"] == 1
    await comm.disconnect()


# --- the hub alone, with a stand-in channel layer -----------------------------------


class FakeLayer:
    def __init__(self):
        self.calls: list[tuple[str, str]] = []
        self.queue: asyncio.Queue = asyncio.Queue()
        self.gate = asyncio.Event()
        self.gate.set()

    async def group_add(self, group, channel):
        await self.gate.wait()
        self.calls.append(("add", group))

    async def group_discard(self, group, channel):
        await self.gate.wait()
        self.calls.append(("discard", group))

    async def receive(self, channel):
        return await self.queue.get()


class Recorder:
    def __init__(self, fail=False):
        self.seen = []
        self.fail = fail

    def offer(self, message, frame):
        if self.fail:
            raise RuntimeError("broken socket")
        self.seen.append(message["seq"])
        return None


def event(group, seq, epoch="e1"):
    return {"type": "events.deliver", "group": group, "seq": seq, "epoch": epoch, "text": "{}"}


async def test_the_hub_hands_each_event_to_every_member_even_if_one_fails():
    layer = FakeLayer()
    hub = fanout.Hub(layer, "events-hub.test!x")
    members = [Recorder(), Recorder(fail=True), Recorder()]
    for m in members:
        await hub.subscribe("g")
        hub.attach("g", m)
    assert layer.calls == [("add", "g")]
    for seq in (1, 2):
        await hub.dispatch(event("g", seq))
    await hub.dispatch(event("other", 3))  # not ours: ignored
    assert members[0].seen == members[2].seen == [1, 2]
    for m in members:
        hub.release("g", m)
    await asyncio.sleep(0.01)
    assert layer.calls == [("add", "g"), ("discard", "g")]
    assert hub.closed and hub._reader is None


async def test_the_hub_serialises_leave_and_join_of_a_group():
    layer = FakeLayer()
    hub = fanout.Hub(layer, "events-hub.test!y")
    await hub.subscribe("g")
    layer.gate.clear()  # Redis is slow
    hub.release("g")  # discard starts (and waits)
    await asyncio.sleep(0)
    joining = asyncio.ensure_future(hub.subscribe("g"))
    await asyncio.sleep(0.01)
    layer.gate.set()
    await joining
    await asyncio.sleep(0.01)
    assert layer.calls == [("add", "g"), ("discard", "g"), ("add", "g")]
    assert hub.groups["g"].subscribed
    hub.release("g")
    await asyncio.sleep(0.01)
    assert layer.calls[-1] == ("discard", "g") and not hub.groups


async def test_the_hub_reports_the_newest_event_to_a_late_member():
    hub = fanout.Hub(FakeLayer(), "events-hub.test!z")
    await hub.subscribe("g")
    await hub.dispatch(event("g", 7))
    assert hub.attach("g", Recorder()) == (7, "e1")
    await hub.dispatch(event("g", 1, epoch="e2"))  # a new epoch replaces a higher seq
    assert hub.groups["g"].latest == (1, "e2")
    hub.release("g")
    await asyncio.sleep(0.01)


async def test_an_event_from_a_publisher_without_the_group_field_still_arrives():
    hub = fanout.Hub(FakeLayer(), "events-hub.test!w")
    member = Recorder()
    await hub.subscribe("public.old")
    hub.attach("public.old", member)
    message = event("public.old", 1)
    del message["group"]
    message["text"] = json.dumps({"seq": 1, "group": "public.old"})
    await hub.dispatch(message)
    assert member.seen == [1]
    hub.release("public.old", member)
    await asyncio.sleep(0.01)
