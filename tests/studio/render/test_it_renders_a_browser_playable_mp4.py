"""The MP4: H.264 High/Main yuv420p + AAC-LC, moov first, the right length, the right pictures and sound."""

import pytest

from apps.studio.scenes import scene_draw

from .media import (
    audio_rms,
    first_video_frame,
    luminance,
    mean_difference,
    probe,
    stream_of,
    top_level_boxes,
    video_frame_at,
)


def test_it_uses_codecs_chromium_plays(rendered):
    info = probe(path=rendered["output"].mp4)
    video, audio = stream_of(info=info, kind="video"), stream_of(info=info, kind="audio")
    assert video["codec_name"] == "h264"
    assert video["profile"] in ("High", "Main")
    assert video["pix_fmt"] == "yuv420p"
    assert (video["width"], video["height"]) == (1920, 1080)
    assert audio["codec_name"] == "aac" and audio["profile"] == "LC"
    assert int(audio["sample_rate"]) in (44_100, 48_000)


def test_it_lasts_as_long_as_the_storyboard(rendered):
    output = rendered["output"]
    assert output.duration_s == pytest.approx(rendered["storyboard"].duration_s)
    assert float(probe(path=output.mp4)["format"]["duration"]) == pytest.approx(output.duration_s, abs=0.1)


def test_it_puts_the_index_before_the_media(rendered):
    boxes = top_level_boxes(path=rendered["output"].mp4)
    assert boxes.index("moov") < boxes.index("mdat"), boxes


def test_it_opens_on_the_first_scene(rendered):
    frame = first_video_frame(path=rendered["output"].mp4)
    mean, brightest = luminance(image=frame)
    assert mean > 6 and brightest > 200, f"first frame is black (mean luma {mean:.1f}, max {brightest})"
    scenes = rendered["storyboard"].scenes
    drawn = [scene_draw(scene=scene, size=(1920, 1080)) for scene in scenes]
    differences = [mean_difference(first=frame, second=image) for image in drawn]
    assert differences[0] < 3, differences
    assert differences[0] < min(differences[1:]) / 2, differences


def test_it_shows_each_scene_after_its_crossfade(rendered):
    output, scenes = rendered["output"], rendered["storyboard"].scenes
    for index, scene in enumerate(scenes):
        frame = video_frame_at(path=output.mp4, seconds=index * 4 + 2)
        assert mean_difference(first=frame, second=scene_draw(scene=scene, size=(1920, 1080))) < 3


def test_it_blends_between_scenes(rendered):
    output, scenes = rendered["output"], rendered["storyboard"].scenes
    middle = video_frame_at(path=output.mp4, seconds=4.15)
    before = mean_difference(first=middle, second=scene_draw(scene=scenes[0], size=(1920, 1080)))
    after = mean_difference(first=middle, second=scene_draw(scene=scenes[1], size=(1920, 1080)))
    assert before > 1 and after > 1, "mid-crossfade frame should be neither scene"


def test_it_speaks_during_narration_and_is_quiet_between(rendered):
    output = rendered["output"]
    for index in range(3):
        assert audio_rms(path=output.mp4, start_s=index * 4 + 0.3, end_s=index * 4 + 1.3) > 0.01
        assert audio_rms(path=output.mp4, start_s=index * 4 + 3.6, end_s=index * 4 + 3.95) < 0.002


def test_it_writes_a_poster_of_the_first_scene(rendered):
    from PIL import Image

    output = rendered["output"]
    with Image.open(output.poster) as poster:
        assert poster.format == "JPEG" and poster.size == (1920, 1080)
        scene = rendered["storyboard"].scenes[0]
        assert mean_difference(first=poster, second=scene_draw(scene=scene, size=(1920, 1080))) < 2


def test_it_reports_its_steps(rendered):
    output, progress = rendered["output"], rendered["progress"]
    for step in ("narrating", "drawing", "encoding", "muxing", "finalising", "first_segment", "total"):
        assert step in output.timings
    assert output.timings["first_segment"] < output.timings["total"]
    fractions = [fraction for _, fraction in progress]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert "encoding scene 2/3" in [step for step, _ in progress]
    assert output.narration_engine in ("espeak-ng", "piper")
    assert not (output.mp4.parent / "narration").exists(), "narration WAVs are working files"
