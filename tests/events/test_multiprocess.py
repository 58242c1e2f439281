"""Two Daphne processes and a Celery worker, on the configured database and Redis (in CI:
the machine's PostgreSQL and Redis). Everything crosses real process boundaries."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client

from apps.events.tasks import event_publish_task
from tests.support import processes
from tests.support.ws import NetworkClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def signed_in_user(username: str) -> tuple[str, int]:
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}", user.pk


@pytest.fixture
def cluster(transactional_db):
    env = processes.subprocess_env()
    with processes.celery_worker(env), processes.daphne(env) as web1, processes.daphne(env) as web2:
        yield web1, web2


async def publish_via_worker(group: str, nonce: str) -> None:
    # .delay() talks to the broker synchronously; keep it off this test's event loop.
    await sync_to_async(event_publish_task.delay)(group, "system.ping", {"nonce": nonce, "origin": "task"})


async def test_an_event_from_a_task_reaches_clients_on_both_web_processes_and_resume_crosses_processes(cluster):
    web1, web2 = cluster
    cookie, pk = await database_sync_to_async(signed_in_user)("multi")
    group = f"user.{pk}"

    a = await NetworkClient.open(web1, group, cookie=cookie)
    b = await NetworkClient.open(web2, group, cookie=cookie)
    assert (await a.receive())["type"] == "hello"
    assert (await b.receive())["type"] == "hello"

    await publish_via_worker(group, "to-both")
    [seen_a] = await a.receive_events(1)
    [seen_b] = await b.receive_events(1)
    assert seen_a == seen_b
    assert seen_a["payload"]["nonce"] == "to-both" and seen_a["seq"] == 1

    # b goes away; five events are published while it is gone.
    await b.close()
    for n in range(5):
        await publish_via_worker(group, f"missed-{n}")
    live = await a.receive_events(5)
    assert [e["seq"] for e in live] == [2, 3, 4, 5, 6]

    # b comes back to the *other* process and resumes from the last seq it saw.
    b = await NetworkClient.open(web1, group, cookie=cookie)
    hello = await b.receive()
    await b.send({"type": "resume", "after": seen_b["seq"], "epoch": hello["epoch"]})
    replayed = await b.receive_events(5)
    resumed = await b.receive()
    assert replayed == live  # every missed event, once, in order, byte for byte the same
    assert resumed["type"] == "resumed" and resumed["replayed"] == 5

    await publish_via_worker(group, "after")
    [after_a], [after_b] = await asyncio.gather(a.receive_events(1), b.receive_events(1))
    assert after_a["seq"] == after_b["seq"] == 7
    await a.close()
    await b.close()


async def test_an_anonymous_network_client_cannot_join_a_user_group(cluster):
    web1, _ = cluster
    client = await NetworkClient.open(web1, "user.1")
    error = await client.receive()
    assert error["code"] == "forbidden"
    await asyncio.wait_for(client.connection.wait_closed(), 5)
    assert client.connection.close_code == 4403


async def test_a_network_client_from_a_disallowed_origin_is_refused(cluster):
    from websockets.exceptions import InvalidStatus

    web1, _ = cluster
    with pytest.raises(InvalidStatus) as refused:
        await NetworkClient.open(web1, "public", origin="https://evil.example")
    assert refused.value.response.status_code == 403


@pytest.fixture
def web(transactional_db):
    with processes.daphne(processes.subprocess_env()) as web1:
        yield web1


async def publish_announcements(group: str, count: int) -> None:
    from apps.events.services import event_apublish

    for n in range(count):
        await event_apublish(group=group, type="system.announcement",
                             payload={"message": f"{n:05d} " + "x" * 480, "level": "info"})


async def event_seqs(connection, count: int, timeout: float = 30) -> list[int]:
    """The seqs of the next ``count`` events (no schema check: thousands of them)."""
    seqs: list[int] = []
    while len(seqs) < count:
        message = json.loads(await asyncio.wait_for(connection.recv(), timeout))
        if "seq" in message and message["type"] not in {"hello", "resumed", "reset"}:
            seqs.append(message["seq"])
        else:
            assert message["type"] == "heartbeat", message
    return seqs


def backed_up_total(web: str) -> float:
    import urllib.request

    with urllib.request.urlopen(f"http://{web}/metrics", timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("visionspace_events_sockets_backed_up_total "):
                return float(line.split()[1])
    return 0.0


async def test_a_client_that_stops_reading_holds_up_nobody_and_gets_everything_once_it_reads(web):
    """Daphne buffers what a socket cannot take; past Twisted's write buffer the socket
    stops taking live events and later catches up from the log (apps/events/consumers.py)."""
    import socket

    from websockets.asyncio.client import connect

    # ~5.4 MB: more than the kernel buffers (a loopback send buffer grows to 4 MB) plus
    # Twisted's 64 KiB; below EVENTS_RETAIN (10,000), so the catch-up finds everything.
    count = 9000
    host, port = web.split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    # max_queue=1: the client library stops reading the socket after one unread message.
    stuck = NetworkClient(await connect(f"ws://{web}/ws/events/public.stuck/", sock=sock, origin=f"http://{web}",
                                        max_queue=1, open_timeout=10))
    reader = await NetworkClient.open(web, "public.stuck")
    assert (await stuck.receive())["type"] == "hello"
    assert (await reader.receive())["type"] == "hello"

    received, _ = await asyncio.gather(event_seqs(reader.connection, count),
                                       publish_announcements("public.stuck", count))
    assert received == list(range(1, count + 1))
    assert await sync_to_async(backed_up_total)(web) >= 1

    assert await event_seqs(stuck.connection, count) == list(range(1, count + 1))
    await stuck.close()
    await reader.close()
