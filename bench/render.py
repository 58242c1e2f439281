#!/usr/bin/env python
"""Render time of a fixed 12 s, three-scene narrated storyboard at 1080p: our renderer against a
straightforward MoviePy composition of the same storyboard.

Run from the project root: ``.venv/bin/python bench/render.py`` (``--runs``, ``--moviepy-python``,
``--width``/``--height``). See docs/benchmarks.md ("render") for what it measures and the figures.

* Ours: ``apps.studio.render.video_render`` in this process, after one untimed warm-up render (a
  Celery worker is a long-lived process: fonts, codecs and imports are loaded once). Reported: the
  median over ``--runs`` of wall time to the finished MP4 + HLS (``complete_s``) and to the first
  HLS segment on disk (``first_segment_s``), the CPU time it used (``cpu_s``: this process's
  threads and the espeak-ng children; steadier than wall time on a shared machine), the per-step
  timings of the median run, the cold (first) render, and the process's peak RSS.
* Baseline: MoviePy 2 (ImageClip per scene, concatenated, each narration an AudioFileClip placed
  at its scene's start, ``write_videofile`` with its defaults: libx264 preset medium, AAC, 30 fps)
  from the same scene PNGs and narration WAVs our renderer used, with the same scene timings.
  MoviePy pins pillow<12 while the project uses Pillow 13, so it runs in its own virtualenv
  (created at /tmp/moviepy-venv on first use, or ``--moviepy-python``) as a child process that
  times its own composition and encoding (not its imports) and prints the seconds.

The last line printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOVIEPY_VENV = Path("/tmp/moviepy-venv")
MOVIEPY_REQUIREMENT = "moviepy==2.2.1"
TARGET_COMPLETE_S, TARGET_RATIO, TARGET_FIRST_SEGMENT_S = 1.0, 3.0, 0.5


def storyboard():
    from apps.studio.storyboard import Scene, Storyboard

    # Each line is spoken in under 3.6 s, so every scene keeps its 4 s and the video is 12 s.
    return Storyboard(request="show me the fleet and the key manager", summary="Fleet, then the key manager", scenes=(
        Scene(kind="fleet_overview", title="The fleet today", duration_s=4,
              narration="Twenty-two services; fourteen are containerised.",
              data={"total": 22, "by_status": {"containerised": 14, "needs_containerisation": 5, "integration_needed": 3},
                    "by_category": {"vls": 12, "diamond_cli": 6, "integration": 4},
                    "levels": {"gold": 5, "silver": 6, "bronze": 4, "none": 7}}),
        Scene(kind="service_card", title="Universal AI Key Manager", duration_s=4,
              narration="The key manager runs three replicas in Europe.",
              data={"slug": "universal-ai-key-manager", "name": "Universal AI Key Manager",
                    "purpose": "Keeps provider keys encrypted, rotates them and audits every use.",
                    "status": "containerised", "image": "ghcr.io/visionspace/key-manager:2.4.1", "replicas": 3,
                    "region": "europe-west1", "compliance_level": "gold", "health": "up"}),
        Scene(kind="health_chart", title="Key manager health", duration_s=4,
              narration="It was up all week, but for one short outage.",
              data={"service": "Universal AI Key Manager", "status": "up", "uptime_percent": 99.4,
                    "buckets": [1.0] * 100 + [0.4, 0.97] + [1.0] * 66}),
    ))


# --- ours -------------------------------------------------------------------------------------


def _cpu_s() -> float:
    """CPU seconds of this process (all its threads) and its finished children (espeak-ng)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ours_run(*, out_dir: Path, width: int, height: int) -> dict:
    from apps.studio.render import video_render

    cpu_before = _cpu_s()
    started = time.perf_counter()
    output = video_render(storyboard=storyboard(), out_dir=out_dir, width=width, height=height)
    return {"complete_s": time.perf_counter() - started, "first_segment_s": output.timings["first_segment"],
            "cpu_s": _cpu_s() - cpu_before,
            "timings": output.timings, "duration_s": output.duration_s, "engine": output.narration_engine,
            "mp4_bytes": output.mp4.stat().st_size}


def baseline_inputs(*, work: Path, width: int, height: int) -> Path:
    """The same scene stills and narration WAVs, with our timeline's scene lengths, for MoviePy."""
    from apps.studio.narration import narrate, narration_engine
    from apps.studio.render.timeline import FPS, timeline_plan
    from apps.studio.scenes import scene_draw

    board, engine = storyboard(), narration_engine()
    scenes = []
    narrations = []
    for index, scene in enumerate(board.scenes):
        image = work / f"scene_{index}.png"
        scene_draw(scene=scene, size=(width, height)).save(image)
        narrations.append(narrate(text=scene.narration, out_path=work / f"scene_{index}.wav", engine=engine))
        scenes.append({"image": str(image), "wav": str(narrations[-1].path)})
    timeline = timeline_plan(storyboard=board, narrations=narrations)
    for entry, plan in zip(scenes, timeline.scenes):
        entry.update(start_s=plan.start_s, duration_s=plan.length / FPS, narration_start_s=plan.narration_start_s)
    spec = work / "baseline.json"
    spec.write_text(json.dumps({"scenes": scenes, "out": str(work / "moviepy.mp4"), "fps": 30}))
    return spec


def moviepy_python(*, given: str | None) -> tuple[str | None, str | None]:
    """The interpreter of a virtualenv with MoviePy, creating /tmp/moviepy-venv when needed."""
    if given:
        return given, None
    python = MOVIEPY_VENV / "bin" / "python"
    check = [str(python), "-c", "import moviepy"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return str(python), None
    print(f"creating {MOVIEPY_VENV} with {MOVIEPY_REQUIREMENT} (first run only)...", file=sys.stderr)
    steps = [[sys.executable, "-m", "venv", "--clear", str(MOVIEPY_VENV)],
             [str(python), "-m", "pip", "install", "--quiet", MOVIEPY_REQUIREMENT]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return None, f"could not install {MOVIEPY_REQUIREMENT}: {(result.stderr or result.stdout).strip()[-300:]}"
    return str(python), None


def moviepy_run(*, python: str, spec: Path) -> float:
    result = subprocess.run([python, str(Path(__file__).resolve()), "--baseline-child", str(spec)],
                            capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"MoviePy baseline failed: {result.stderr.strip()[-600:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def baseline_child(*, spec_path: Path) -> None:
    """Runs under the MoviePy virtualenv: compose and encode, print the seconds it took."""
    from moviepy import (
        AudioFileClip,
        CompositeAudioClip,
        ImageClip,
        concatenate_videoclips,
    )

    spec = json.loads(spec_path.read_text())
    started = time.perf_counter()
    clips = [ImageClip(scene["image"]).with_duration(scene["duration_s"]) for scene in spec["scenes"]]
    video = concatenate_videoclips(clips)
    voices = [AudioFileClip(scene["wav"]).with_start(scene["narration_start_s"]) for scene in spec["scenes"]]
    video = video.with_audio(CompositeAudioClip(voices).with_duration(video.duration))
    video.write_videofile(spec["out"], fps=spec["fps"], codec="libx264", audio_codec="aac", logger=None)
    print(json.dumps({"seconds": time.perf_counter() - started}))


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--moviepy-python", help="interpreter of a virtualenv with moviepy installed")
    parser.add_argument("--moviepy-runs", type=int, default=3)
    parser.add_argument("--baseline-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        baseline_child(spec_path=args.baseline_child)
        return
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        cold = ours_run(out_dir=work / "cold", width=args.width, height=args.height)
        runs = [ours_run(out_dir=work / f"run{i}", width=args.width, height=args.height) for i in range(args.runs)]
        for run in [cold, *runs]:
            print(f"ours: complete {run['complete_s']:.3f} s, first segment {run['first_segment_s']:.3f} s, "
                  f"CPU {run['cpu_s']:.3f} s, "
                  f"steps {run['timings']}", file=sys.stderr)
        median = sorted(runs, key=lambda r: r["complete_s"])[len(runs) // 2]
        import resource

        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        moviepy_s, moviepy_note = None, None
        python, moviepy_note = moviepy_python(given=args.moviepy_python)
        if python:
            spec = baseline_inputs(work=work, width=args.width, height=args.height)
            try:
                times = [moviepy_run(python=python, spec=spec) for _ in range(args.moviepy_runs)]
                print(f"moviepy: {', '.join(f'{t:.3f}' for t in times)} s", file=sys.stderr)
                moviepy_s = statistics.median(times)
            except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
                moviepy_note = str(exc)[-400:]

    complete_s = statistics.median(r["complete_s"] for r in runs)
    first_segment_s = statistics.median(r["first_segment_s"] for r in runs)
    ratio = round(moviepy_s / complete_s, 2) if moviepy_s else None
    result = {
        "complete_s": round(complete_s, 3),
        "moviepy_s": round(moviepy_s, 3) if moviepy_s else None,
        "ratio": ratio,
        "first_segment_s": round(first_segment_s, 3),
        "cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
        "video_s": median["duration_s"],
        "size": f"{args.width}x{args.height}",
        "runs": args.runs,
        "cold_complete_s": round(cold["complete_s"], 3),
        "cold_first_segment_s": round(cold["first_segment_s"], 3),
        "steps_s": median["timings"],
        "peak_rss_mb": round(peak_rss_mb, 1),
        "mp4_kb": round(median["mp4_bytes"] / 1024),
        "narration_engine": median["engine"],
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "targets_met": {
            "complete": complete_s <= TARGET_COMPLETE_S,
            "ratio": ratio is not None and ratio >= TARGET_RATIO,
            "first_segment": first_segment_s <= TARGET_FIRST_SEGMENT_S,
        },
    }
    if moviepy_note:
        result["moviepy_note"] = moviepy_note
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
