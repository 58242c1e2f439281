"""One attempt at one job: claim it, fetch its components, render it, make it ready.

Called by the Celery task ``studio.job_run`` (tasks.py). Safe to call again for the same
job at any time: a finished job is left alone, a job another attempt owns is left alone,
and a redelivered message (its worker died) starts a fresh attempt in a fresh directory.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .components import components_resolve
from .render import PLAYLIST_NAME, playback_start, video_render
from .services import (
    Claim,
    Superseded,
    attempt_discard,
    attempt_path,
    job_claim,
    job_fail,
    job_finish,
    job_planned,
    job_progress,
)
from .storyboard import Storyboard

log = logging.getLogger(__name__)

VIDEO_SIZE = (1920, 1080)
PLANNING_SHARE = 0.05  # of the ring: planning and components; the renderer has the rest
PROGRESS_EVERY_S = 0.3


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_run(*, job_id, redelivered: bool = False) -> None:
    claim = job_claim(job_id=job_id, redelivered=redelivered, worker=worker_name())
    if claim is None:
        return
    try:
        _run(claim)
    except Superseded:
        log.info("video job attempt superseded", extra={"job": str(claim.job.id), "attempt": claim.attempt})
        attempt_discard(job=claim.job, attempt=claim.attempt)
    except SoftTimeLimitExceeded:
        job_fail(job=claim.job, attempt=claim.attempt,
                 reason=f"The video took longer than {settings.STUDIO_RENDER_TIMEOUT_SECONDS} s to make and was stopped.")
        attempt_discard(job=claim.job, attempt=claim.attempt)
    except Exception as exc:
        log.exception("video job failed", extra={"job": str(claim.job.id)})
        job_fail(job=claim.job, attempt=claim.attempt, reason=f"The video could not be made: {exc}"[:500])
        attempt_discard(job=claim.job, attempt=claim.attempt)


class _Reporter:
    """The renderer's callbacks: progress to the job row and the stage, throttled; the first segment at once."""

    def __init__(self, claim: Claim, out_dir: Path, started: float):
        self.claim, self.out_dir, self.started = claim, out_dir, started
        self.step, self.fraction, self.last = "", 0.0, 0.0
        self.first_segment_s: float | None = None

    def progress(self, step: str, fraction: float) -> None:
        overall = PLANNING_SHARE + (1 - PLANNING_SHARE) * max(0.0, min(1.0, fraction))
        now = time.monotonic()
        if step == self.step and now - self.last < PROGRESS_EVERY_S and fraction < 1:
            return
        self.step, self.fraction, self.last = step, overall, now
        job_progress(claim=self.claim, step=step, fraction=overall)

    def segment(self, path: Path) -> None:
        if self.first_segment_s is not None:
            return
        self.first_segment_s = round(time.monotonic() - self.started, 3)
        out_dir = Path(path).parent
        job_progress(claim=self.claim, step="first_segment", fraction=self.fraction or PLANNING_SHARE,
                     playlist=_relative(out_dir / PLAYLIST_NAME), start=playback_start(out_dir=out_dir))


def _relative(path: Path) -> str:
    return Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()


def _run(claim: Claim) -> None:
    job, started = claim.job, time.monotonic()
    resolved = components_resolve(storyboard=Storyboard.from_dict(job.storyboard), size=VIDEO_SIZE,
                                  timeout=settings.STUDIO_COMPONENT_TIMEOUT_SECONDS)
    if not resolved.storyboard.scenes:
        raise ValueError("nothing is left to show: every scene was a component that was skipped")
    job_planned(claim=claim, storyboard=resolved.storyboard, notes=resolved.notes, seconds=time.monotonic() - started)

    out_dir = attempt_path(job, claim.attempt)
    attempt_discard(job=job, attempt=claim.attempt)
    out_dir.mkdir(parents=True)
    reporter = _Reporter(claim, out_dir, started)
    render_started = time.monotonic()
    output = video_render(storyboard=resolved.storyboard, out_dir=out_dir, width=VIDEO_SIZE[0], height=VIDEO_SIZE[1],
                          on_progress=reporter.progress, on_segment=reporter.segment)
    files = {"playlist": _relative(output.playlist), "mp4": _relative(output.mp4),
             "captions": _relative(output.captions), "poster": _relative(output.poster)}
    timings = {f"render.{k}": v for k, v in (output.timings or {}).items()}
    timings.update(render=round(time.monotonic() - render_started, 3), total=round(time.monotonic() - started, 3))
    if reporter.first_segment_s is not None:
        timings["first_segment"] = reporter.first_segment_s
    if not job_finish(claim=claim, files=files, duration_s=float(output.duration_s), timings=timings):
        attempt_discard(job=job, attempt=claim.attempt)
