#!/usr/bin/env python
"""From the end of a spoken request to the first frame of its video, in Chromium.

Run from the project root: ``.venv/bin/python bench/voice_to_video.py`` (``--runs``, ``--mode``,
``--release-after-ms``, ``--text``). See docs/benchmarks.md ("voice_to_video") for what it
measures and the figures.

The whole stack, started here: a temporary SQLite database (migrated, catalogue seeded), a
private embedded Redis (unless ``REDIS_URL`` is set), one Daphne and one Celery worker, and
Debian's Chromium whose fake microphone plays an espeak-ng WAV of the request. Each run opens
the stage page afresh (Chromium restarts the file with every capture), lets the page stream
the speech to /ws/voice/<stage>/ (wake phrase: as it is; push-to-talk: Space held from before
the speech until the server ends the turn, or let go ``--release-after-ms`` after the end of the
speech), and waits for the video's first decoded frame.

The page's timeline (static/js/voice.js, static/js/stage.js) gives, in performance.now() time:
when each captured 20 ms frame arrived, with its peak level; when each voice message and
stage event arrived; and requestVideoFrameCallback's time of the first frame of the job's
video. The end of speech is where the WAV's speech ends, located in the capture by its onset
(the first frame above ``ONSET_PEAK``, in the WAV and in the capture), so Chromium's start-up
offset of the file cancels out. Server times (the job's rows, the events' ``ts``) are on the
same clock: page times are converted with ``performance.timeOrigin``.

Per run, end of speech → first frame = the sum of:

* ``vad_end``, ``stt``, ``plan``: the ``final`` message's own timings (last speech frame at the
  server → end of turn decided → transcript → job queued);
* ``voice_other``: the rest of end of speech → ``final`` at the page (capture, upload, the voice
  lane's queue, the message back);
* ``pickup``: ``final`` at the page → the worker claimed the job (``started_at``);
* ``first_segment``: claim → the ``first_segment`` event published (its ``ts``): components,
  narration and the first 2 s of video;
* ``delivery``: that event's ``ts`` → its arrival at the page (Redis, Daphne, the websocket);
* ``player_start``: arrival → the first decoded frame on screen (playlist and segment fetches,
  Media Source Extensions, decode).

The last line printed is ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
DEFAULT_TEXT = "show me the health of the prediction engine"
LEAD_S, TAIL_S = 2.5, 60.0
FRAME = 320            # samples per 20 ms frame, as the page's worklet frames them
ONSET_PEAK = 0.02      # of full scale: a frame this loud is speech (the WAV's silence is digital zero)
TARGET_P50_MS, TARGET_P95_MS = 800, 1200
PARTS = ("vad_end", "stt", "plan", "voice_other", "pickup", "first_segment", "delivery", "player_start")


def configure_environment(run_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "visionspace_site.settings"
    os.environ["VISIONSPACE_MODE"] = "local"
    os.environ["VISIONSPACE_VAR_DIR"] = str(run_dir / "var")
    os.environ["VISIONSPACE_KEY_PREFIX"] = f"bench{secrets.token_hex(4)}"
    os.environ["DATABASE_URL"] = f"sqlite:///{run_dir / 'bench.sqlite3'}"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"
    os.environ["STAGE_RECENT_SECONDS"] = "0"  # a fresh page must not pop up the previous run's video
    os.environ["OUTBOUND_ALLOW_PRIVATE"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PYTHONUNBUFFERED"] = "1"


# --- the speech --------------------------------------------------------------------------


def frame_peaks(samples) -> list[float]:
    import numpy as np

    n = len(samples) // FRAME
    frames = np.abs(samples[:n * FRAME].astype(np.float64) / 32768.0).reshape(n, FRAME)
    return frames.max(axis=1).tolist()


def speech_wav(path: Path, text: str) -> dict:
    """The fake microphone's file, and where its speech starts and ends (in 20 ms frames)."""
    import numpy as np

    from tests.support.speech import silence, speak, wav_write

    samples = np.concatenate([silence(LEAD_S), speak(text), silence(TAIL_S)])
    wav_write(path, samples)
    loud = [i for i, peak in enumerate(frame_peaks(samples)) if peak > ONSET_PEAK]
    return {"path": path, "onset_frame": loud[0], "end_frame": loud[-1] + 1}


# --- one run -----------------------------------------------------------------------------

VOICE_MESSAGE_JS = "window.VisionSpaceVoice && window.VisionSpaceVoice.timeline.messages.find((m) => m.type === 'final' || m.type === 'refused')"


def waiting(page, what: str, wait) -> None:
    """``wait()``, and if it times out, say for what and what the voice socket had said by then."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        wait()
    except PlaywrightTimeout:
        said = page.evaluate("window.VisionSpaceVoice ? window.VisionSpaceVoice.timeline.messages"
                             ".filter((m) => m.type !== 'pong').map((m) => m.type + (m.text ? ' ' + m.text : '')) : []")
        raise RuntimeError(f"timed out waiting for {what}; the voice socket said {said}") from None


def released_js(wav: dict, release_after_ms: int) -> str:
    """True once the page has captured the end of the speech plus ``release_after_ms`` (onset-aligned)."""
    frames_after_onset = wav["end_frame"] - wav["onset_frame"] + release_after_ms // 20
    return (f"(() => {{ const t = window.VisionSpaceVoice.timeline; const onset = t.peaks(0, t.frames)"
            f".findIndex((p) => p > {ONSET_PEAK}); return onset >= 0 && t.frames >= onset + {frames_after_onset}; }})()")


def one_run(context, url: str, *, mode: str, wav: dict, timeout_ms: int, release_after_ms: int | None) -> dict:
    page = context.new_page()
    try:
        page.goto(url)
        idle = "ready" if mode == "push_to_talk" else "listening"
        waiting(page, "the microphone and the voice socket",
                lambda: page.wait_for_selector(f'#stage-mic[data-mic="{idle}"]', timeout=timeout_ms))
        # The fake microphone plays its file from the grant on, listened to or not.
        position_ms = page.evaluate("performance.now() - window.VisionSpaceVoice.timeline.streamAt")
        if position_ms >= (wav["onset_frame"] - 10) * 20:
            raise RuntimeError(f"the page was ready only {position_ms:.0f} ms into the microphone's file: the speech had begun")
        if mode == "push_to_talk":
            page.keyboard.down(" ")
            if release_after_ms is not None:  # a person letting go of the key: the release ends the turn
                waiting(page, "the end of the speech", lambda: page.wait_for_function(
                    released_js(wav, release_after_ms), timeout=timeout_ms, polling=5))
                page.keyboard.up(" ")
        waiting(page, "the final", lambda: page.wait_for_function(f"Boolean({VOICE_MESSAGE_JS})", timeout=timeout_ms))
        if mode == "push_to_talk" and release_after_ms is None:
            page.keyboard.up(" ")
        final = page.evaluate(VOICE_MESSAGE_JS)
        if final["type"] != "final":
            raise RuntimeError(f"the request was not understood: {final}")
        job = final["job"]
        waiting(page, "the first frame", lambda: page.wait_for_function(
            f"(window.VisionSpaceStage.timeline.jobs[{job!r}] || {{}}).firstFrame", timeout=timeout_ms))
        return {"final": final, "job": job, **page.evaluate("""(job) => {
            const voice = window.VisionSpaceVoice.timeline;
            return {origin: performance.timeOrigin, frames: voice.frames, peaks: voice.peaks(0, voice.frames),
                    frameTimes: Array.from({length: voice.frames}, (_, f) => voice.sampleTime(f * 320)),
                    stage: window.VisionSpaceStage.timeline.jobs[job],
                    source: document.getElementById('stage-video').currentSrc,
                    resources: performance.getEntriesByType('resource').filter((r) => r.name.includes(job))
                        .map((r) => ({name: r.name.split('/').pop(), start: r.startTime, response: r.responseStart,
                                      end: r.responseEnd, bytes: r.encodedBodySize}))};
        }""", job)}
    finally:
        page.close()


def job_row(job_id: str, *, timeout_s: float = 60.0):
    """The job once it has finished (so the next run does not queue behind it)."""
    from apps.studio.models import VideoJob

    deadline = time.monotonic() + timeout_s
    while True:
        job = VideoJob.objects.get(pk=job_id)
        if job.state in ("ready", "failed", "cancelled"):
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} still {job.state} after {timeout_s:.0f} s")
        time.sleep(0.1)  # polling the database with a deadline


def epoch_ms(value: datetime | str) -> float:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.timestamp() * 1000


def breakdown(run: dict, job, wav: dict) -> dict:
    """Milliseconds of each part, on one clock (the page's times converted with timeOrigin)."""
    peaks, origin = run["peaks"], run["origin"]
    onset = next((i for i, peak in enumerate(peaks) if peak > ONSET_PEAK), None)
    if onset is None:
        raise RuntimeError("the page captured no speech")
    end_frame = onset + (wav["end_frame"] - wav["onset_frame"])  # the frame after the last speech frame
    speech_end = origin + run["frameTimes"][end_frame - 1]
    final_at = origin + run["final"]["at"]
    timings = run["final"]["timings"]
    segment = run["stage"]["events"]["first_segment"]
    segment_ts, segment_at = epoch_ms(segment["ts"]), origin + segment["at"]
    first_frame = origin + run["stage"]["firstFrame"]["at"]
    started = epoch_ms(job.started_at)
    parts = {
        "vad_end": timings["vad_end"], "stt": timings["stt"], "plan": timings["plan"],
        "voice_other": final_at - speech_end - timings["vad_end"] - timings["stt"] - timings["plan"],
        "pickup": started - final_at,
        "first_segment": segment_ts - started,
        "delivery": segment_at - segment_ts,
        "player_start": first_frame - segment_at,
    }
    return {"total": first_frame - speech_end, **parts, "job_first_segment_s": job.timings.get("first_segment"),
            "hls": run["source"].startswith("blob:"), "onset_shift_frames": onset - wav["onset_frame"],
            "ended_by": run["final"].get("ended_by"),
            "play_call": origin + run["stage"]["play"]["at"] - segment_at,
            # player_start split: the page's hls.js steps after the event arrived
            "player_steps": {name: round(origin + at - segment_at) for name, at in (run["stage"].get("hls") or {}).items()},
            "fetches": [f"{r['name']} {origin + r['start'] - segment_at:.0f}/{origin + r['response'] - segment_at:.0f}/"
                        f"{origin + r['end'] - segment_at:.0f} {r['bytes'] // 1000}kB" for r in run.get("resources", [])[:4]]}


# --- main --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="measured runs (after --warmup)")
    parser.add_argument("--warmup", type=int, default=1, help="runs before measuring (engine and caches warm)")
    parser.add_argument("--mode", choices=("push_to_talk", "wake_phrase"), default="push_to_talk",
                        help="the stage's voice mode (push_to_talk is a new stage's default)")
    parser.add_argument("--text", default=DEFAULT_TEXT, help="the request (the wake phrase is added in that mode)")
    parser.add_argument("--release-after-ms", type=int, default=None,
                        help="push-to-talk: let go of Space this long after the page captured the end of the speech "
                             "(default: hold it until the server ends the turn)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for each wait in a run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args(argv)

    run_dir = Path(tempfile.mkdtemp(prefix="vs-bench-voice-"))
    configure_environment(run_dir)
    redis = None
    try:
        if not os.environ.get("REDIS_URL"):
            from apps.core.embedded_redis import EmbeddedRedis

            redis = EmbeddedRedis(run_dir / "redis.sock").start()
            os.environ["REDIS_URL"] = redis.url
        return measure(args, run_dir)
    finally:
        if redis:
            redis.stop()
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)


def measure(args, run_dir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from apps.catalog.services import catalog_seed
    from apps.stage.models import Stage
    from apps.stage.services import stage_create
    from tests.support import processes
    from tests.support.users import session_cookie, user_with_role

    call_command("migrate", verbosity=0)
    catalog_seed()
    stage = stage_create(name="Bench wall", slug=f"bench-{secrets.token_hex(3)}")
    Stage.objects.filter(pk=stage.pk).update(voice_mode=args.mode)
    cookie = session_cookie(user_with_role("operator", username="bench-operator"))
    spoken = f"VisionSpace, {args.text}" if args.mode == "wake_phrase" else args.text
    wav = speech_wav(run_dir / "speech.wav", spoken)
    timeout_ms = int(args.timeout * 1000)

    env = processes.subprocess_env()
    results, failures = [], []
    with processes.daphne(env) as host, processes.celery_worker(env):
        from tests.browser.conftest import CHROMIUM_ARGS, microphone_args

        print(f"daphne on {host}, stage {stage.slug} ({args.mode}), speech {spoken!r}: frames "
              f"{wav['onset_frame']}–{wav['end_frame']} of the WAV", file=sys.stderr, flush=True)
        # Playwright's loop runs in this thread; the ORM calls here are plain reads between its calls.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS + microphone_args(wav["path"]))
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            name, value = cookie.split("=", 1)
            context.add_cookies([{"name": name, "value": value, "url": f"http://{host}"}])
            url = f"http://{host}/stage/{stage.slug}/"
            for index in range(args.warmup + args.runs):
                label = "warm-up" if index < args.warmup else f"run {index - args.warmup + 1}"
                try:
                    run = one_run(context, url, mode=args.mode, wav=wav, timeout_ms=timeout_ms,
                                  release_after_ms=args.release_after_ms)
                    job = job_row(run["job"], timeout_s=args.timeout)
                    parts = breakdown(run, job, wav)
                except Exception as exc:  # one bad run is reported, not the end of the bench
                    failures.append(f"{label}: {exc}")
                    print(f"{label}: FAILED {exc}", file=sys.stderr, flush=True)
                    continue
                print(f"{label}: {parts['total']:.0f} ms = " + " + ".join(f"{k} {parts[k]:.0f}" for k in PARTS)
                      + f" (hls {parts['hls']}, onset shift {parts['onset_shift_frames']} frames, player {parts['player_steps']}, fetches {parts['fetches']})",
                      file=sys.stderr, flush=True)
                if index >= args.warmup:
                    results.append(parts)
            browser.close()

    if not results:
        print("RESULT " + json.dumps({"runs": 0, "failures": failures}))
        return 1
    totals = [r["total"] for r in results]
    p50, p95 = percentile(totals, 50), percentile(totals, 95)
    medians = {f"{k}_ms": round(statistics.median(r[k] for r in results)) for k in PARTS}
    result = {
        "runs": len(results), "p50_ms": round(p50), "p95_ms": round(p95),
        "min_ms": round(min(totals)), "max_ms": round(max(totals)),
        **medians,
        "mode": args.mode, "release_after_ms": args.release_after_ms, "text": spoken, "failures": len(failures),
        "ended_by": sorted({r["ended_by"] for r in results}),
        "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
        "targets_met": {"p50": p50 <= TARGET_P50_MS, "p95": p95 <= TARGET_P95_MS},
    }
    print(f"end of speech → first frame: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(results)} runs; "
          "medians: " + ", ".join(f"{k} {v}" for k, v in medians.items()), file=sys.stderr)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
