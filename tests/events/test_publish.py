import json

import pytest

from apps.events import store
from apps.events.schemas import InvalidPayload, UnknownEventType, protocol_validator
from apps.events.services import event_publish


def ping(nonce: str = "n") -> dict:
    return {"nonce": nonce}


def test_it_numbers_events_per_group_from_one():
    first = event_publish(group="public.numbering", type="system.ping", payload=ping("a"))
    second = event_publish(group="public.numbering", type="system.ping", payload=ping("b"))
    other = event_publish(group="public.numbering-other", type="system.ping", payload=ping("c"))
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert first.epoch == second.epoch != ""


def test_it_writes_events_that_match_the_documented_envelope():
    published = event_publish(
        group="public.envelope", type="system.announcement", payload={"message": "Fire drill at 3", "level": "warning"}
    )
    message = json.loads(published.text)
    protocol_validator("envelope").validate(message)
    assert message["seq"] == published.seq
    assert message["payload"] == {"message": "Fire drill at 3", "level": "warning"}


def test_it_keeps_events_in_the_log_for_replay():
    for n in range(5):
        event_publish(group="public.log", type="system.ping", payload=ping(str(n)))
    entries = store.read("public.log", after=2)
    assert [e.seq for e in entries] == [3, 4, 5]
    assert [json.loads(store_body)["payload"]["nonce"] for store_body in (e.body for e in entries)] == ["2", "3", "4"]
    assert store.head("public.log").seq == 5


def test_it_rejects_an_unknown_event_type():
    with pytest.raises(UnknownEventType, match="has no schema"):
        event_publish(group="public", type="system.nonsense", payload={})


def test_it_rejects_a_payload_that_breaks_the_schema_and_writes_nothing():
    before = store.head("public.invalid").seq
    with pytest.raises(InvalidPayload, match="level"):
        event_publish(group="public.invalid", type="system.announcement", payload={"message": "hi", "level": "loud"})
    assert store.head("public.invalid").seq == before


@pytest.mark.parametrize("group", ["", "has space", "a/b", "x" * 120, "dot..dot", "émoji"])
def test_it_rejects_invalid_group_names(group):
    with pytest.raises(ValueError, match="not valid"):
        event_publish(group=group, type="system.ping", payload=ping())


def test_it_keeps_only_the_newest_events_when_the_log_is_capped(settings):
    settings.EVENTS_RETAIN = 100
    for n in range(400):
        event_publish(group="public.capped", type="system.ping", payload=ping(str(n)))
    kept = store.read("public.capped", after=0)
    assert kept[-1].seq == 400
    # Redis trims whole nodes ("MAXLEN ~"), so somewhat more than 100 may stay; never everything.
    assert 100 <= len(kept) < 400


def test_it_keeps_hostile_text_as_data(redis_client):
    hostile = '"}],{"seq":999}\n<script>alert(1)</script>\u2028'
    published = event_publish(group="public.hostile", type="system.announcement", payload={"message": hostile, "level": "info"})
    assert json.loads(published.text)["payload"]["message"] == hostile
    assert json.loads(published.text)["seq"] == published.seq
