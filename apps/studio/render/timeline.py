"""When everything happens: scene starts and lengths, where narration sits, and which video
frames exist. Times are in ticks of 1/FPS s so every cut lands on a frame.

Video is variable-frame-rate: a still scene is a few copies of two packets (a keyframe and
a near-empty P-frame) spread over its hold, not FPS frames a second; only crossfades are
real 30 fps runs. See docs/renderer.md for why and what it saves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..narration import Narration
from ..storyboard import Storyboard

FPS = 30
CROSSFADE_S = 0.3
NARRATION_PAD_S = 0.2  # silence before and after each scene's line
KEY_INTERVAL_TICKS = FPS  # a keyframe every second of a hold: HLS cuts ~2 s segments on them
MIN_CHUNK_TICKS = FPS // 2  # a shorter tail joins the chunk before it


@dataclass(frozen=True)
class Chunk:
    """A run of one still: its keyframe at ``start``, its P-frame on the chunk's last tick."""

    start: int
    length: int


@dataclass(frozen=True)
class ScenePlan:
    index: int
    start: int  # ticks from the video start
    length: int  # ticks
    crossfade: int  # ticks of crossfade from the previous scene at this scene's start (0 for the first)
    narration: Narration
    chunks: tuple[Chunk, ...]  # the hold after the crossfade, in ticks from the video start

    @property
    def start_s(self) -> float:
        return self.start / FPS

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def narration_start_s(self) -> float:
        return self.start_s + NARRATION_PAD_S


@dataclass(frozen=True)
class Timeline:
    scenes: tuple[ScenePlan, ...]

    @property
    def ticks(self) -> int:
        return self.scenes[-1].end if self.scenes else 0

    @property
    def duration_s(self) -> float:
        return self.ticks / FPS


def _chunks(*, start: int, end: int) -> tuple[Chunk, ...]:
    starts = list(range(start, end, KEY_INTERVAL_TICKS))
    if len(starts) > 1 and end - starts[-1] < MIN_CHUNK_TICKS:
        starts.pop()
    bounds = starts[1:] + [end]
    return tuple(Chunk(start=s, length=e - s) for s, e in zip(starts, bounds))


def scene_seconds(*, duration_s: float, narration_s: float) -> float:
    """How long a scene stays: as planned, or longer when its line needs it (plus padding)."""
    return max(duration_s, narration_s + 2 * NARRATION_PAD_S if narration_s > 0 else 0.0)


def timeline_plan(*, storyboard: Storyboard, narrations: list[Narration]) -> Timeline:
    crossfade_ticks = round(CROSSFADE_S * FPS)
    plans, at = [], 0
    for index, (scene, narration) in enumerate(zip(storyboard.scenes, narrations, strict=True)):
        length = math.ceil(round(scene_seconds(duration_s=scene.duration_s, narration_s=narration.duration_s) * FPS, 6))
        # The crossfade never takes more than half a short scene.
        crossfade = min(crossfade_ticks, length // 2) if index else 0
        plans.append(ScenePlan(index=index, start=at, length=length, crossfade=crossfade, narration=narration,
                               chunks=_chunks(start=at + crossfade, end=at + length)))
        at += length
    return Timeline(scenes=tuple(plans))
