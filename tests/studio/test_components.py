"""The component_url protocol against a real HTTP server: good scenes are kept in place; slow,
large, malformed or invalid answers drop their scene with a note and never fail anything."""

from __future__ import annotations

import time

import pytest

from apps.studio.components import components_resolve
from apps.studio.storyboard import Scene, Storyboard
from tests.studio.component_server import TEXT_SCENE, VALID_SCENE

SIZE = (1920, 1080)


def placeholder(url: str, slug: str = "dr-lucy-flight-memory") -> Scene:
    return Scene(kind="component", title="live view", narration="Here is its own view.", duration_s=4.0,
                 data={"component_url": url, "slug": slug})


def storyboard(*scenes: Scene) -> Storyboard:
    title = Scene(kind="title", title="Flight memory", narration="Here is the flight memory.", duration_s=3.0,
                  data={"heading": "Flight memory"})
    return Storyboard(request="show me the flight memory system status", summary="Status", scenes=(title, *scenes))


def test_a_valid_scene_replaces_its_placeholder_and_gets_the_documented_request(components, private_allowed):
    resolved = components_resolve(storyboard=storyboard(placeholder(components.url + "/valid")), size=SIZE, timeout=2)
    assert resolved.notes == []
    title, scene = resolved.storyboard.scenes
    assert scene.kind == "component" and scene.data == VALID_SCENE
    assert (scene.title, scene.narration, scene.duration_s) == (VALID_SCENE["title"], VALID_SCENE["narration"], 4.0)
    sent = components.requests[0]
    assert sent["content_type"] == "application/json"
    assert sent["body"] == {"v": 1, "request": "show me the flight memory system status",
                            "service": "dr-lucy-flight-memory", "size": [1920, 1080]}


@pytest.mark.parametrize("route, reason", [
    ("malformed", "its answer is not JSON"),
    ("nan", "its answer is not JSON"),
    ("list", "the answer is not a JSON object"),
    ("invalid", "invalid scene (duration_s: 60 is greater than the maximum of 15)"),
    ("big", "its answer is larger than 64 KB"),
    ("error", "it answered HTTP 500"),
    ("redirect", "it answered HTTP 302"),
    ("missing", "it answered HTTP 404"),
])
def test_a_bad_answer_drops_the_scene_with_a_note(components, private_allowed, route, reason):
    resolved = components_resolve(storyboard=storyboard(placeholder(components.url + "/" + route)), size=SIZE, timeout=2)
    assert [s.kind for s in resolved.storyboard.scenes] == ["title"]
    assert resolved.notes == [f"Component from dr-lucy-flight-memory skipped: {reason}."]


@pytest.mark.parametrize("route", ["hang", "drip"])
def test_a_slow_component_is_cut_off_at_the_deadline(components, private_allowed, route):
    started = time.monotonic()
    resolved = components_resolve(storyboard=storyboard(placeholder(components.url + "/" + route)), size=SIZE, timeout=1)
    elapsed = time.monotonic() - started
    assert resolved.notes == ["Component from dr-lucy-flight-memory skipped: timed out after 1 s."]
    assert 1 <= elapsed < 3, elapsed  # the slow answer would take 10 s; a loaded machine may add a little


def test_components_are_asked_at_once_within_one_deadline(components, private_allowed):
    board = storyboard(placeholder(components.url + "/hang", "a"), placeholder(components.url + "/valid", "b"),
                       placeholder(components.url + "/malformed", "c"), placeholder(components.url + "/text", "d"),
                       placeholder(components.url + "/hang", "e"))
    started = time.monotonic()
    resolved = components_resolve(storyboard=board, size=SIZE, timeout=1)
    assert time.monotonic() - started < 2  # two hanging components cost one deadline (1 s), not two
    assert [s.title for s in resolved.storyboard.scenes] == ["Flight memory", VALID_SCENE["title"], TEXT_SCENE["title"]]
    assert resolved.notes == [
        "Component from a skipped: timed out after 1 s.",
        "Component from c skipped: its answer is not JSON.",
        "Component from e skipped: timed out after 1 s.",
    ]


def test_a_private_address_is_refused_unless_allowed(components, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    resolved = components_resolve(storyboard=storyboard(placeholder(components.url + "/valid")), size=SIZE, timeout=2)
    assert len(resolved.notes) == 1 and "forbidden destination" in resolved.notes[0]
    assert "OUTBOUND_ALLOW_PRIVATE" in resolved.notes[0]
    assert components.requests == []


@pytest.mark.parametrize("url", ["ftp://example.com/scene", "not a url", "http://[::1"])
def test_a_url_that_is_not_http_is_refused(private_allowed, url):
    resolved = components_resolve(storyboard=storyboard(placeholder(url)), size=SIZE, timeout=2)
    assert len(resolved.notes) == 1 and "skipped" in resolved.notes[0]


def test_a_refused_connection_is_a_note(private_allowed):
    from tests.support.processes import free_port

    url = f"http://127.0.0.1:{free_port()}/scene"
    resolved = components_resolve(storyboard=storyboard(placeholder(url)), size=SIZE, timeout=2)
    assert resolved.notes == [resolved.notes[0]] and "connection failed" in resolved.notes[0]


def test_other_scenes_are_not_touched(private_allowed):
    board = storyboard()
    assert components_resolve(storyboard=board, size=SIZE, timeout=2).storyboard is board
