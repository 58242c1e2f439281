"""``video_render``: a storyboard in, a narrated H.264/AAC video out, as MP4 and progressive HLS.

Steps: narrate every scene (espeak-ng processes in parallel) while the first scene is drawn
and encoded → plan the timeline → captions and soundtrack → for each scene: draw it once,
encode its crossfade and its still, place the packets → finalise. Each HLS segment is
announced as soon as it and the playlist naming it are on disk.
"""

from __future__ import annotations

import resource
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import av

from ..captions import captions_cues, captions_write
from ..narration import Narration, NarrationEngine, narrate, narration_engine
from ..scenes import scene_draw
from ..storyboard import Storyboard
from .audio import soundtrack_pcm
from .outputs import MP4_NAME, PLAYLIST_NAME, RenderOutputs
from .timeline import ScenePlan, Timeline, timeline_plan
from .video import EncodedFrame, StillPackets, VideoEncoder, yuv_frame

CAPTIONS_NAME = "captions.vtt"
POSTER_NAME = "poster.jpg"
NARRATION_DIR = "narration"
MAX_NARRATORS = 8


@dataclass(frozen=True)
class RenderOutput:
    mp4: Path
    playlist: Path
    captions: Path
    poster: Path
    duration_s: float
    # step → seconds. "narrating" (all lines spoken), "first_segment" and "total" count from the start;
    # narration runs alongside drawing and encoding the first scene, the other steps add up.
    timings: dict[str, float]
    segments: list[Path] = field(default_factory=list)
    narration_engine: str = ""
    peak_rss_mb: float = 0.0


@dataclass(frozen=True)
class _Encoded:
    picture: av.VideoFrame
    fade: list[EncodedFrame]
    still: StillPackets


class _Clock:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - begun

    def since_start(self) -> float:
        return time.perf_counter() - self.started


def _captions(*, storyboard: Storyboard, timeline: Timeline, path: Path) -> Path:
    cues = []
    for scene, plan in zip(storyboard.scenes, timeline.scenes):
        start = plan.narration_start_s
        cues += captions_cues(text=scene.narration, start_s=start, end_s=start + plan.narration.duration_s)
    return captions_write(cues=cues, path=path)


def _scene_encode(*, encoder: VideoEncoder, image, previous: av.VideoFrame | None, crossfade: int) -> _Encoded:
    picture = yuv_frame(image=image)
    fade = encoder.crossfade(before=previous, after=picture, frames=crossfade) if crossfade and previous else []
    return _Encoded(picture=picture, fade=fade, still=encoder.still(frame=picture))


def _scene_place(*, outputs: RenderOutputs, plan: ScenePlan, encoded: _Encoded) -> None:
    for offset, frame in enumerate(encoded.fade):
        outputs.video_write(frame=frame, tick=plan.start + offset, ticks=1)
    for chunk in plan.chunks:
        outputs.video_write(frame=encoded.still.key, tick=chunk.start, ticks=chunk.length - 1)
        outputs.video_write(frame=encoded.still.repeat, tick=chunk.start + chunk.length - 1, ticks=1)


def video_render(
    *,
    storyboard: Storyboard,
    out_dir: Path,
    width: int = 1920,
    height: int = 1080,
    on_progress: Callable[[str, float], None] | None = None,
    on_segment: Callable[[Path], None] | None = None,
    preset: str = "ultrafast",
) -> RenderOutput:
    """Render ``storyboard`` into ``out_dir``: video.mp4, index.m3u8 + segments, captions.vtt, poster.jpg."""
    if not storyboard.scenes:
        raise ValueError("A storyboard with no scenes has nothing to render.")
    if width % 2 or height % 2 or not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise ValueError(f"H.264 yuv420p needs an even size from 16 to 8192 pixels, not {width}×{height}.")
    clock = _Clock()
    progress = on_progress or (lambda step, fraction: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    scenes, count = storyboard.scenes, len(storyboard.scenes)

    def segment_landed(path: Path) -> None:
        clock.timings.setdefault("first_segment", clock.since_start())
        if on_segment is not None:
            on_segment(path)

    progress("narrating", 0.0)
    engine: NarrationEngine = narration_engine()
    outputs = RenderOutputs(out_dir=out_dir, width=width, height=height, preset=preset, on_segment=segment_landed)
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(MAX_NARRATORS, count))) as pool:
            def speak(index: int) -> tuple[Narration, float]:
                narration = narrate(text=scenes[index].narration, engine=engine,
                                    out_path=out_dir / NARRATION_DIR / f"scene_{index:02d}.wav")
                return narration, clock.since_start()

            lines = [pool.submit(speak, index) for index in range(count)]
            # The first scene needs no narration to be drawn and encoded: do it while the lines are spoken.
            progress(f"drawing scene 1/{count}", 0.05)
            with clock.step("drawing"):
                image = scene_draw(scene=scenes[0], size=(width, height))
            with clock.step("encoding"):
                encoded = _scene_encode(encoder=outputs.video_encoder, image=image, previous=None, crossfade=0)
            with clock.step("waiting_for_narration"):
                spoken = [line.result() for line in lines]
        narrations = [narration for narration, _ in spoken]
        clock.timings["narrating"] = max(finished for _, finished in spoken)
        with clock.step("mixing"):
            timeline = timeline_plan(storyboard=storyboard, narrations=narrations)
            captions = _captions(storyboard=storyboard, timeline=timeline, path=out_dir / CAPTIONS_NAME)
            outputs.audio_start(pcm=soundtrack_pcm(timeline=timeline))
        poster = out_dir / POSTER_NAME
        for plan in timeline.scenes:
            share = 0.1 + 0.85 * plan.index / count
            if plan.index:
                progress(f"drawing scene {plan.index + 1}/{count}", share)
                with clock.step("drawing"):
                    image = scene_draw(scene=scenes[plan.index], size=(width, height))
                progress(f"encoding scene {plan.index + 1}/{count}", share + 0.85 / count / 2)
                with clock.step("encoding"):
                    encoded = _scene_encode(encoder=outputs.video_encoder, image=image, previous=encoded.picture,
                                            crossfade=plan.crossfade)
            with clock.step("muxing"):
                _scene_place(outputs=outputs, plan=plan, encoded=encoded)
            if plan.index == 0:
                with clock.step("poster"):
                    image.save(poster, "JPEG", quality=88)
        progress("finalising", 0.96)
        with clock.step("finalising"):
            outputs.close()
    except BaseException:
        outputs.abort()
        raise
    finally:
        shutil.rmtree(out_dir / NARRATION_DIR, ignore_errors=True)
    clock.timings["total"] = clock.since_start()
    progress("done", 1.0)
    return RenderOutput(
        mp4=out_dir / MP4_NAME, playlist=out_dir / PLAYLIST_NAME, captions=captions, poster=poster,
        duration_s=timeline.duration_s, timings={k: round(v, 4) for k, v in clock.timings.items()},
        segments=list(outputs.segments), narration_engine=engine.name,
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
