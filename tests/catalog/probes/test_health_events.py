"""A change of health status is published to "ops" as catalog.health, valid against its schema."""

import json

import jsonschema
import pytest
from django.db import transaction

from apps.catalog.event_types import HEALTH_EVENT, schema_path
from apps.catalog.probes.services import probes_expire, service_probe
from apps.events import envelope, store
from apps.events.schemas import validate_server_message

pytestmark = pytest.mark.django_db


def events_since(seq: int) -> list[dict]:
    messages = [json.loads(envelope.with_seq(e.seq, e.body)) for e in store.read("ops", after=seq)]
    schema = json.loads(schema_path(HEALTH_EVENT).read_text())
    for message in messages:
        validate_server_message(message)
        jsonschema.validate(message["payload"], schema, format_checker=jsonschema.FormatChecker())
    return messages


def test_it_publishes_each_change_and_only_changes(target, make_service, settings, django_capture_on_commit_callbacks):
    service = make_service("events-svc", health_url=target.url())
    before = store.head("ops").seq

    with django_capture_on_commit_callbacks(execute=True):
        up = service_probe(service=service)  # unknown → up
        service_probe(service=service)  # up → up: nothing
        target.status, target.body = 503, b"queue full"
        down = service_probe(service=service)  # up → down
        service_probe(service=service)  # down → down: nothing
        settings.HEALTH_PROBE_TTL_SECONDS = 0
        target.status = 200
        last = service_probe(service=service)  # down → up
        probes_expire()  # up → stale

    events = events_since(before)
    assert [e["type"] for e in events] == [HEALTH_EVENT] * 4
    assert [e["group"] for e in events] == ["ops"] * 4
    assert [e["payload"] for e in events] == [
        {"service": "events-svc", "status": "up", "previous": "unknown", "checked_at": up.checked_at.isoformat()},
        {
            "service": "events-svc",
            "status": "down",
            "previous": "up",
            "checked_at": down.checked_at.isoformat(),
            "error": "HTTP 503 Service Unavailable: queue full",
        },
        {"service": "events-svc", "status": "up", "previous": "down", "checked_at": last.checked_at.isoformat()},
        {"service": "events-svc", "status": "stale", "previous": "up", "checked_at": last.checked_at.isoformat()},
    ]


def test_it_publishes_nothing_when_the_write_is_rolled_back(target, make_service, django_capture_on_commit_callbacks):
    service = make_service("rolled-back", health_url=target.url())
    before = store.head("ops").seq

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            service_probe(service=service)
            raise RuntimeError("the caller's transaction fails")

    assert callbacks == []
    assert events_since(before) == []
