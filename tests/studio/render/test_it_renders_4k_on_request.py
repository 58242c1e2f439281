"""3840×2160 on request: one short scene, still H.264 High yuv420p that decodes."""

import pytest

from apps.studio.render import video_render
from apps.studio.scenes import scene_draw
from apps.studio.storyboard import Scene, Storyboard

from .media import first_video_frame, mean_difference, probe, stream_of


def test_it_renders_a_short_4k_scene(tmp_path):
    scene = Scene(kind="text", title="In 4K", narration="Four K.", duration_s=1.5,
                  data={"heading": "In 4K", "lines": ["Every line twice as sharp"]})
    output = video_render(storyboard=Storyboard(request="4k", summary="4k", scenes=(scene,)),
                          out_dir=tmp_path / "4k", width=3840, height=2160)
    video = stream_of(info=probe(path=output.mp4), kind="video")
    assert (video["width"], video["height"]) == (3840, 2160)
    assert video["profile"] in ("High", "Main") and video["pix_fmt"] == "yuv420p"
    assert output.duration_s == pytest.approx(1.5, abs=0.04)
    frame = first_video_frame(path=output.mp4)
    assert frame.size == (3840, 2160)
    assert mean_difference(first=frame, second=scene_draw(scene=scene, size=(3840, 2160))) < 3


def test_it_refuses_an_odd_size(tmp_path):
    scene = Scene(kind="text", title="odd", narration="", duration_s=1, data={})
    with pytest.raises(ValueError, match="even size"):
        video_render(storyboard=Storyboard(request="x", summary="x", scenes=(scene,)), out_dir=tmp_path / "odd",
                     width=1921, height=1080)


def test_it_refuses_an_unknown_preset_and_leaves_nothing_open(tmp_path):
    scene = Scene(kind="text", title="preset", narration="", duration_s=1, data={})
    with pytest.raises(ValueError, match="preset"):
        video_render(storyboard=Storyboard(request="x", summary="x", scenes=(scene,)), out_dir=tmp_path / "p",
                     preset="placebo-plus")
