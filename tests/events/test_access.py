"""Who may open which event websocket: Origin, group rules, sessions."""

import pytest
from channels.db import database_sync_to_async
from tests.support.users import session_cookie, user_with_role
from tests.support.ws import communicator, receive

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def session_cookie_for(username: str, *, role: str | None = "viewer") -> tuple[str, int]:
    user = user_with_role(role, username=username)
    return session_cookie(user), user.pk


async def test_it_refuses_a_websocket_from_a_disallowed_origin():
    comm = communicator("/ws/events/public/", origin=(b"origin", b"https://evil.example"))
    connected, _ = await comm.connect(timeout=5)
    assert connected is False


async def test_it_refuses_a_websocket_without_an_origin():
    comm = communicator("/ws/events/public/", origin=None)
    connected, _ = await comm.connect(timeout=5)
    assert connected is False


async def test_it_refuses_an_anonymous_client_on_a_user_group():
    comm = communicator("/ws/events/user.1/")
    connected, _ = await comm.connect(timeout=5)
    assert connected  # accepted only to explain why, then closed
    error = await receive(comm)
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert (await comm.receive_output(timeout=3)) == {"type": "websocket.close", "code": 4403}


async def test_it_refuses_a_user_on_someone_elses_group():
    cookie, pk = await session_cookie_for("alice")
    comm = communicator(f"/ws/events/user.{pk + 1}/", cookie=cookie)
    await comm.connect(timeout=5)
    assert (await receive(comm))["code"] == "forbidden"


async def test_it_lets_a_user_join_their_own_group():
    cookie, pk = await session_cookie_for("bob")
    comm = communicator(f"/ws/events/user.{pk}/", cookie=cookie)
    await comm.connect(timeout=5)
    assert (await receive(comm))["type"] == "hello"
    await comm.disconnect()


async def test_it_keeps_ops_for_operators_and_admins():
    cookie, _ = await session_cookie_for("carol", role="viewer")
    comm = communicator("/ws/events/ops/", cookie=cookie)
    await comm.connect(timeout=5)
    assert (await receive(comm))["code"] == "forbidden"
    operator_cookie, _ = await session_cookie_for("dave", role="operator")
    comm = communicator("/ws/events/ops/", cookie=operator_cookie)
    await comm.connect(timeout=5)
    assert (await receive(comm))["type"] == "hello"
    await comm.disconnect()


@pytest.mark.parametrize("group", ["nosuchprefix", "no space", "a..b"])
async def test_it_refuses_unknown_or_invalid_groups(group):
    comm = communicator(f"/ws/events/{group}/")
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert (await receive(comm))["code"] in {"forbidden", "not_found"}
