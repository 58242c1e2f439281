"""Timing: a scene lasts as planned or as long as its line needs; crossfades and keyframes line up."""

from pathlib import Path

from apps.studio.narration import Narration
from apps.studio.render.timeline import FPS, NARRATION_PAD_S, timeline_plan
from apps.studio.storyboard import Scene, Storyboard


def _storyboard(*durations):
    return Storyboard(request="r", summary="s", scenes=tuple(
        Scene(kind="text", title="t", narration="n", duration_s=d, data={}) for d in durations))


def test_a_scene_stretches_to_fit_its_narration():
    narrations = [Narration(path=Path("a.wav"), duration_s=1.0), Narration(path=Path("b.wav"), duration_s=6.0)]
    timeline = timeline_plan(storyboard=_storyboard(4, 4), narrations=narrations)
    assert [plan.length / FPS for plan in timeline.scenes] == [4.0, 6.0 + 2 * NARRATION_PAD_S]
    assert timeline.scenes[1].start == timeline.scenes[0].end


def test_each_hold_is_keyframed_every_second_and_never_leaves_a_sliver():
    narrations = [Narration(path=Path("a.wav"), duration_s=0.0)] * 2
    timeline = timeline_plan(storyboard=_storyboard(4, 2.55), narrations=narrations)
    first, second = timeline.scenes
    assert first.crossfade == 0 and second.crossfade == round(0.3 * FPS)
    assert first.chunks[0].start == 0
    assert second.chunks[0].start == second.start + second.crossfade
    for plan in timeline.scenes:
        assert sum(chunk.length for chunk in plan.chunks) == plan.length - plan.crossfade
        assert all(FPS // 2 <= chunk.length <= FPS * 3 // 2 for chunk in plan.chunks)


def test_a_very_short_scene_still_has_room_for_its_crossfade():
    narrations = [Narration(path=Path("a.wav"), duration_s=0.0)] * 2
    timeline = timeline_plan(storyboard=_storyboard(1, 0.5), narrations=narrations)
    short = timeline.scenes[1]
    assert short.crossfade <= short.length // 2
    assert all(chunk.length >= 2 for chunk in short.chunks)
