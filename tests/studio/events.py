"""Reading what a stage was told, straight from the event log, each message checked against its schema."""

from __future__ import annotations

import json

from apps.events import store
from apps.events.envelope import with_seq
from apps.events.schemas import validate_server_message


def stage_events(group: str, *, after: int = 0, type: str | None = None) -> list[dict]:
    events = []
    for entry in store.read(group, after=after):
        message = json.loads(with_seq(entry.seq, entry.body))
        validate_server_message(message)
        if type is None or message["type"] == type:
            events.append(message)
    return events


def payloads(group: str, type: str, **kwargs) -> list[dict]:
    return [e["payload"] for e in stage_events(group, type=type, **kwargs)]


def queued_job_ids() -> list[str]:
    """The job ids of the studio.job_run messages waiting in this run's Celery queue (read from Redis)."""
    import base64

    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        raw = client.lrange(f"{settings.KEY_PREFIX}:celery:{settings.CELERY_TASK_DEFAULT_QUEUE}", 0, -1)
    finally:
        client.close()
    ids = []
    for item in reversed(raw):  # kombu pushes on the left: oldest last
        message = json.loads(item)
        if message["headers"].get("task") == "studio.job_run":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            ids.append(args[0])
    return ids


def wait_for_event(group: str, predicate, *, after: int = 0, timeout: float = 60) -> dict:
    """Block on the group's event log (Redis XREAD BLOCK) until an event matches ``predicate``."""
    import time

    import redis
    from django.conf import settings

    # redis-py's default 5 s socket timeout would cut a longer BLOCK short.
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=timeout + 5)
    log_key = store._keys(group)[1]
    last, seen = f"0-{after}", []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching event on {group} within {timeout} s; saw: {seen[-10:]}")
            for _stream, entries in client.xread({log_key: last}, block=max(1, int(left * 1000)), count=100) or []:
                for entry_id, fields in entries:
                    last = entry_id
                    seq = int(entry_id.split(b"-")[1])
                    message = json.loads(with_seq(seq, fields[b"e"].decode()))
                    validate_server_message(message)
                    seen.append((message["type"], message["payload"].get("state"), message["payload"].get("step")))
                    if predicate(message):
                        return message
    finally:
        client.close()


def is_job(job_id, *states: str, step_prefix: str = ""):
    def predicate(message: dict) -> bool:
        p = message["payload"]
        return (message["type"] == "stage.job" and p["job"] == str(job_id) and p["state"] in states
                and p["step"].startswith(step_prefix))

    return predicate
