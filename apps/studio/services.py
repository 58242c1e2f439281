"""Writes of the studio: a request becomes a job; a job moves queued → planning → rendering → ready.

Every transition is one conditional UPDATE (``WHERE state = … AND attempts = …``): whoever
changes a row first wins, and a worker that finds its attempt superseded (cancelled,
replaced, failed by the reaper, or retried elsewhere) stops and throws its files away.
That, and the partial unique index on (stage) for planning/rendering, is why a stage
never shows two videos for one request, nor makes two at once.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.stage.models import OnBusy, Stage

from .models import ACTIVE_STATES, FINAL_STATES, OPEN_STATES, JobState, VideoJob
from .planner import storyboard_plan
from .publish import caption_announce, job_announce, note_announce, refusal_announce, video_announce
from .storyboard import PlanRefused, Storyboard

log = logging.getLogger(__name__)


class RequestRefused(Exception):
    """The request was turned down and no job was made; ``message`` says why, ``suggestions`` what would work."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions or [])


class Superseded(Exception):
    """This attempt no longer owns its job (cancelled, replaced, reaped or retried elsewhere)."""


@dataclass(frozen=True)
class Claim:
    job: VideoJob
    attempt: int


# --- requests ---------------------------------------------------------------------------------


def request_text_clean(text: str) -> str:
    return " ".join((text or "").split())


def job_request(*, stage: Stage, requester, text: str) -> VideoJob:
    """Plan a typed (or spoken) request and queue its job; RequestRefused, and no job, when it cannot be shown."""
    text = request_text_clean(text)
    if not text:
        raise _refuse(stage, text, "Type what you want to see, for example: show me the fleet overview.")
    if len(text) > stage.max_request_chars:
        raise _refuse(stage, text[:stage.max_request_chars],
                      f"That request is {len(text)} characters long; this stage takes at most "
                      f"{stage.max_request_chars}. Say it in fewer words.")
    caption_announce(stage=stage, text=text, final=True)
    try:
        storyboard = storyboard_plan(request=text)
    except PlanRefused as exc:
        raise _refuse(stage, text, exc.message, exc.suggestions) from None
    return job_create(stage=stage, requester=requester, request=text, storyboard=storyboard)


def _refuse(stage: Stage, text: str, message: str, suggestions: list[str] | None = None) -> RequestRefused:
    refusal_announce(stage=stage, request=text, message=message, suggestions=suggestions or [])
    return RequestRefused(message, suggestions)


def job_create(*, stage: Stage, requester, request: str, storyboard: Storyboard) -> VideoJob:
    """Queue a job for an already planned storyboard (trimmed to the stage's scene limit) and start it when it can."""
    notes = []
    if len(storyboard.scenes) > stage.max_scenes:
        notes.append(f"Showing the first {stage.max_scenes} of {len(storyboard.scenes)} scenes: "
                     f"this stage's limit is {stage.max_scenes}.")
        storyboard = Storyboard(request=storyboard.request, summary=storyboard.summary,
                                scenes=storyboard.scenes[:stage.max_scenes])
    with transaction.atomic():
        # One request at a time per stage decides what happens to the others.
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        replaced = []
        if stage.on_busy == OnBusy.REPLACE:
            replaced = list(VideoJob.objects.filter(stage=stage, state__in=OPEN_STATES))
            for old in replaced:
                _transition(old, to=JobState.CANCELLED, error="Replaced by a newer request.", final=True)
        else:
            waiting = VideoJob.objects.filter(stage=stage, state=JobState.QUEUED).count()
            if waiting >= settings.STUDIO_MAX_QUEUED_PER_STAGE:
                raise _refuse(stage, request, f"{waiting} requests are already waiting on this stage; "
                                              "ask again when one of them has played.")
        job = VideoJob.objects.create(stage=stage, requester=requester, request=request,
                                      storyboard=storyboard.to_dict(), notes=notes, step="queued")

        def announce() -> None:
            for old in replaced:
                old.refresh_from_db()
                job_announce(job=old)
            job_announce(job=job)
            for note in notes:
                note_announce(stage=stage, message=note, level="info", job=job)
            _enqueue(job)

        transaction.on_commit(announce)
    return job


def _enqueue(job: VideoJob) -> None:
    from .tasks import job_run_task

    # Time limits travel in the message (a redelivery keeps them): this process's setting decides.
    limit = settings.STUDIO_RENDER_TIMEOUT_SECONDS
    job_run_task.apply_async(args=[str(job.id)], soft_time_limit=limit, time_limit=limit + 30)


def job_cancel(*, job: VideoJob, reason: str = "Cancelled.") -> bool:
    if not _transition(job, to=JobState.CANCELLED, error=reason, final=True):
        return False
    _after_final(job)
    return True


# --- the run of a job (apps/studio/runner.py drives these) ------------------------------------


def _transition(job: VideoJob, *, to: str, attempt: int | None = None, final: bool = False,
                states=OPEN_STATES, **fields) -> bool:
    """Move ``job`` to ``to`` if it is still in one of ``states`` (and on ``attempt``); True if this call did."""
    now = timezone.now()
    match = VideoJob.objects.filter(pk=job.pk, state__in=states)
    if attempt is not None:
        match = match.filter(attempts=attempt)
    values = {"state": to, "updated_at": now, **fields}
    if final:
        values["finished_at"] = now
    if not match.update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    return True


def job_claim(*, job_id, redelivered: bool, worker: str) -> Claim | None:
    """Start an attempt at ``job_id``, or None when there is nothing to do (yet).

    A queued job starts unless another job on its stage is being made (the index refuses
    it; that job's end starts this one). A job found planning or rendering is another
    attempt's: a duplicate message leaves it alone; a redelivered one means the worker
    running it died, so it starts again, or fails after STUDIO_JOB_MAX_ATTEMPTS.
    """
    job = VideoJob.objects.select_related("stage").filter(pk=job_id).first()
    if job is None or job.state in FINAL_STATES:
        return None
    start = {"step": "planning", "fraction": 0.0, "worker": worker[:200], "started_at": timezone.now(),
             "attempts": F("attempts") + 1, "playlist": ""}
    if job.state == JobState.QUEUED:
        try:
            with transaction.atomic():
                claimed = _transition(job, to=JobState.PLANNING, states=[JobState.QUEUED], **start)
        except IntegrityError:
            return None
    elif redelivered:
        died_during = job.state
        if job.attempts >= settings.STUDIO_JOB_MAX_ATTEMPTS:
            times = "twice" if job.attempts == 2 else f"{job.attempts} times"
            job_fail(job=job, attempt=job.attempts, reason=f"The worker died during {died_during} {times}.")
            return None
        claimed = _transition(job, to=JobState.PLANNING, states=ACTIVE_STATES, attempt=job.attempts, **start)
        if claimed:
            note_announce(stage=job.stage, job=job, level="info",
                          message=f"The worker making this video stopped during {died_during}; starting it again.")
    else:
        return None
    if not claimed:
        return None
    job.refresh_from_db()
    job_announce(job=job)
    return Claim(job=job, attempt=job.attempts)


def job_planned(*, claim: Claim, storyboard: Storyboard, notes: list[str], seconds: float) -> None:
    job = claim.job
    timings = {**job.timings, "components": round(seconds, 3)}
    if not _transition(job, to=JobState.RENDERING, attempt=claim.attempt, states=[JobState.PLANNING],
                       storyboard=storyboard.to_dict(), notes=[*job.notes, *notes], step="rendering",
                       fraction=0.05, timings=timings):
        raise Superseded
    for note in notes:
        note_announce(stage=job.stage, message=note, job=job)
    job_announce(job=job)


def job_progress(*, claim: Claim, step: str, fraction: float, playlist: str | None = None,
                 start: dict | None = None) -> None:
    """Record progress (and, once, the playlist that can play already, with ``start``: what the event
    carries inline for the player, see render.playback_start); Superseded when the attempt lost the job."""
    job = claim.job
    fields = {"step": step[:40], "fraction": max(0.0, min(1.0, fraction))}
    if playlist is not None:
        fields["playlist"] = playlist
    if not _transition(job, to=JobState.RENDERING, attempt=claim.attempt, states=[JobState.RENDERING], **fields):
        raise Superseded
    job_announce(job=job, start=start)


def job_finish(*, claim: Claim, files: dict[str, str], duration_s: float, timings: dict) -> bool:
    """Make the attempt's video the job's; False (and nothing shown) if the attempt was superseded."""
    job = claim.job
    if not _transition(job, to=JobState.READY, attempt=claim.attempt, states=[JobState.RENDERING], final=True,
                       step="ready", fraction=1.0, duration_s=duration_s, timings={**job.timings, **timings},
                       **files):
        return False
    _discard_other_attempts(job, keep=claim.attempt)
    job_announce(job=job)
    video_announce(job=job)
    _after_final(job, announce=False)
    return True


def job_fail(*, job: VideoJob, reason: str, attempt: int | None = None) -> bool:
    if not _transition(job, to=JobState.FAILED, attempt=attempt, final=True, error=reason[:500]):
        return False
    log.warning("video job failed", extra={"job": str(job.id), "reason": reason})
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "renders" / str(job.id), ignore_errors=True)
    _after_final(job)
    return True


def _after_final(job: VideoJob, *, announce: bool = True) -> None:
    if announce:
        job_announce(job=job)
    job_start_next(stage=job.stage)
    for waiting in VideoJob.objects.select_related("stage").filter(stage=job.stage, state=JobState.QUEUED):
        job_announce(job=waiting)  # one fewer ahead of each


def job_start_next(*, stage: Stage) -> VideoJob | None:
    """Send the stage's oldest queued job to a worker (a duplicate message is harmless: claims are conditional)."""
    nxt = VideoJob.objects.filter(stage=stage, state=JobState.QUEUED).order_by("created_at").first()
    if nxt is not None:
        transaction.on_commit(lambda: _enqueue(nxt))
    return nxt


def attempt_path(job: VideoJob, attempt: int) -> Path:
    return Path(settings.MEDIA_ROOT) / job.attempt_dir(attempt)


def attempt_discard(*, job: VideoJob, attempt: int) -> None:
    shutil.rmtree(attempt_path(job, attempt), ignore_errors=True)


def _discard_other_attempts(job: VideoJob, *, keep: int) -> None:
    root = Path(settings.MEDIA_ROOT) / "renders" / str(job.id)
    for child in root.glob("a*"):
        if child.name != f"a{keep}":
            shutil.rmtree(child, ignore_errors=True)


# --- the sweeper ------------------------------------------------------------------------------


def jobs_reap(*, now: datetime | None = None) -> int:
    """Fail jobs whose attempt outlived the render timeout (its worker vanished); start stages' waiting jobs."""
    now = now or timezone.now()
    limit = settings.STUDIO_RENDER_TIMEOUT_SECONDS + settings.STUDIO_REAP_GRACE_SECONDS
    stuck = VideoJob.objects.select_related("stage").filter(state__in=ACTIVE_STATES,
                                                           started_at__lt=now - timedelta(seconds=limit))
    reaped = 0
    for job in stuck:
        reaped += job_fail(job=job, attempt=job.attempts,
                           reason=f"No result after {limit} s: the worker making this video stopped.")
    idle_with_waiting = (Stage.objects.filter(jobs__state=JobState.QUEUED)
                         .exclude(jobs__state__in=ACTIVE_STATES).distinct())
    for stage in idle_with_waiting:
        job_start_next(stage=stage)
    return reaped


def renders_expire(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Ready videos finished before the retention cutoff give up their files: their links then say
    "expired" (API ``expired: true``, no ``video``) instead of pointing at deleted files."""
    cutoff = (now or timezone.now()) - older_than
    expired = 0
    for job in VideoJob.objects.filter(state=JobState.READY, finished_at__lt=cutoff).exclude(mp4=""):
        note = f"The video was deleted after {older_than.days} days (STUDIO_RENDER_RETENTION_DAYS); ask again to remake it."
        expired += VideoJob.objects.filter(pk=job.pk, state=JobState.READY, mp4=job.mp4).update(
            playlist="", mp4="", captions="", poster="", notes=[*job.notes, note])
    return expired
