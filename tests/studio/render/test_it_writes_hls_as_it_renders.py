"""HLS: fMP4 segments announced one by one, each already listed in an atomically replaced playlist."""

import pytest

from .media import playlist_segments, probe, stream_of


def test_it_announces_each_segment_once_it_is_listed(rendered):
    segments = rendered["segments"]
    assert len(segments) >= 5
    for index, seen in enumerate(segments):
        assert seen["exists"]
        listed = playlist_segments(text=seen["playlist"])
        assert seen["path"].name in listed
        assert listed.index(seen["path"].name) == index


def test_it_marks_the_playlist_open_while_rendering_and_closed_at_the_end(rendered):
    segments, output = rendered["segments"], rendered["output"]
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in segments[0]["playlist"]
    assert "#EXT-X-ENDLIST" not in segments[0]["playlist"]
    final = output.playlist.read_text()
    assert final.rstrip().endswith("#EXT-X-ENDLIST")
    assert playlist_segments(text=final) == [seen["path"].name for seen in segments]
    assert not list(output.playlist.parent.glob("*.tmp")), "no half-written files left"


def test_it_keeps_segments_near_two_seconds(rendered):
    final = rendered["output"].playlist.read_text()
    durations = [float(line.split(":")[1].rstrip(",")) for line in final.splitlines() if line.startswith("#EXTINF:")]
    assert sum(durations) == pytest.approx(rendered["output"].duration_s, abs=0.05)
    assert max(durations) <= 3.0


def test_it_announces_the_first_segment_before_drawing_the_second_scene(rendered):
    first = rendered["segments"][0]
    assert first["path"].name == "seg_000.m4s"
    assert "drawing scene 2/3" not in first["steps_before"], first["steps_before"]
    assert rendered["output"].timings["first_segment"] < rendered["output"].timings["total"]


def test_the_stream_plays_the_same_codecs(rendered):
    info = probe(path=rendered["output"].playlist)
    assert stream_of(info=info, kind="video")["codec_name"] == "h264"
    assert stream_of(info=info, kind="audio")["codec_name"] == "aac"
    assert float(info["format"]["duration"]) == pytest.approx(rendered["output"].duration_s, abs=0.1)


def test_every_segment_starts_on_a_keyframe(rendered):
    import av

    out_dir = rendered["output"].playlist.parent
    init = (out_dir / "init.mp4").read_bytes()
    for seen in rendered["segments"]:
        joined = out_dir / f"check-{seen['path'].stem}.mp4"
        joined.write_bytes(init + seen["path"].read_bytes())
        with av.open(str(joined)) as container:
            first = next(container.demux(video=0))
            assert first.is_keyframe, seen["path"].name
        joined.unlink()
