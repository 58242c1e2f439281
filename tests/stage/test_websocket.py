"""Who may watch a stage's event group, stage.<slug>."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from apps.stage.services import stage_create
from tests.support.users import session_cookie, user_with_role
from tests.support.ws import communicator, receive

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def cookie_after_setup(role: str | None) -> str | None:
    """A stage to watch, and the session cookie of someone with ``role`` ("norole": signed in, no role)."""
    stage_create(name="Socket wall", slug="socket-wall")
    if role is None:
        return None
    return session_cookie(user_with_role(None if role == "norole" else role, username=f"ws-{role}"))


@pytest.mark.parametrize("role, group, allowed", [
    ("viewer", "stage.socket-wall", True),
    ("operator", "stage.socket-wall", True),
    ("viewer", "stage.no-such-stage", False),
    ("viewer", "stage", False),
    (None, "stage.socket-wall", False),
    ("norole", "stage.socket-wall", False),
])
async def test_a_stage_group_is_for_people_who_may_view_the_fleet(role, group, allowed):
    cookie = await cookie_after_setup(role)
    comm = communicator(f"/ws/events/{group}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    first = await receive(comm)
    if allowed:
        assert first["type"] == "hello" and first["group"] == group
    else:
        assert first["type"] == "error" and first["code"] == "forbidden"
        assert (await comm.receive_output(timeout=3)) == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()
