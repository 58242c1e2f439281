"""The first-segment event carries the playlist as published and the init segment, so the player
fetches only the first media segment (render.playback_start); too large or missing: nothing."""

import base64
import json
from pathlib import Path

import av

from apps.studio.render import outputs, playback_start


def test_it_gives_the_playlist_as_published_and_the_init_segment(rendered):
    first = rendered["segments"][0]
    start = first["start"]
    assert start["playlist_text"] == first["playlist"]
    assert f'#EXT-X-MAP:URI="{outputs.INIT_NAME}"' in start["playlist_text"]
    init = first["path"].parent / outputs.INIT_NAME
    assert base64.b64decode(start["init_b64"]) == init.read_bytes()
    assert len(start["playlist_text"]) <= outputs.START_PLAYLIST_MAX
    assert len(base64.b64decode(start["init_b64"])) <= outputs.START_INIT_MAX


def test_the_inlined_init_and_the_first_segment_decode_as_one_stream(rendered, tmp_path):
    first = rendered["segments"][0]
    joined = tmp_path / "start.mp4"
    joined.write_bytes(base64.b64decode(first["start"]["init_b64"]) + first["path"].read_bytes())
    with av.open(str(joined)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 1


def test_it_inlines_nothing_when_the_init_segment_is_too_large(tmp_path):
    (tmp_path / outputs.PLAYLIST_NAME).write_text('#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\nseg_000.m4s\n')
    (tmp_path / outputs.INIT_NAME).write_bytes(b"\0" * (outputs.START_INIT_MAX + 1))
    assert playback_start(out_dir=tmp_path) is None


def test_it_inlines_nothing_when_a_file_is_missing(tmp_path):
    (tmp_path / outputs.PLAYLIST_NAME).write_text("#EXTM3U\nseg_000.m4s\n")
    assert playback_start(out_dir=tmp_path) is None


def test_the_event_schema_admits_whatever_it_inlines():
    """The stage.job schema's limits are these constants' (base64 grows 4/3): an init segment
    under START_INIT_MAX can never make the first-segment event invalid."""
    schema = Path(__file__).resolve().parents[3] / "apps/studio/event_schemas/stage.job.schema.json"
    start = json.loads(schema.read_text())["properties"]["start"]["properties"]
    assert start["playlist_text"]["maxLength"] == outputs.START_PLAYLIST_MAX
    assert start["init_b64"]["maxLength"] >= len(base64.b64encode(b"\0" * outputs.START_INIT_MAX))
