"""Reads of the studio: jobs, what a stage shows now, where a job's files are."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import ACTIVE_STATES, OPEN_STATES, JobState, VideoJob

STEP_LABELS = {
    "queued": "Waiting for the request before it",
    "planning": "Planning the scenes",
    "components": "Asking services for their scenes",
    "first_segment": "Starting to play",
    "ready": "Ready",
}


def step_label(step: str) -> str:
    return STEP_LABELS.get(step) or step.replace("_", " ").strip().capitalize() or "Working"


def job_get(*, job_id) -> VideoJob:
    return VideoJob.objects.select_related("stage").get(pk=job_id)


def media_url(name: str) -> str:
    """A file under MEDIA_ROOT (renders/...) as a URL the browser can fetch, seek in and cache."""
    if isinstance(default_storage, FileSystemStorage):
        return reverse("stage:media", kwargs={"name": name})
    return default_storage.url(name)


def job_queue_position(*, job: VideoJob) -> int:
    """1 + the jobs ahead of ``job`` on its stage: the one being made and those queued before it."""
    same_stage = VideoJob.objects.filter(stage_id=job.stage_id)
    active = same_stage.filter(state__in=ACTIVE_STATES).count()
    return 1 + active + same_stage.filter(state=JobState.QUEUED, created_at__lt=job.created_at).count()


def job_event_payload(*, job: VideoJob, **extra) -> dict:
    """The ``stage.job`` payload for ``job`` as it is now (extra fields win)."""
    payload = {
        "job": str(job.id), "state": job.state, "request": job.request[:2000],
        "step": job.step or job.state, "fraction": max(0.0, min(1.0, job.fraction)), "attempt": job.attempts,
        "message": step_label(job.step or job.state),
    }
    if job.state == JobState.QUEUED:
        payload["position"] = job_queue_position(job=job)
    if job.error:
        payload["error"] = job.error[:500]
    if job.playlist and job.state in (JobState.RENDERING, JobState.READY):
        payload["playlist"] = media_url(job.playlist)
    payload.update({k: v for k, v in extra.items() if v is not None})
    return payload


def job_video_payload(*, job: VideoJob) -> dict:
    return {
        "job": str(job.id), "request": job.request[:2000], "title": (job.storyboard.get("summary") or job.request)[:300],
        "playlist": media_url(job.playlist), "mp4": media_url(job.mp4), "captions": media_url(job.captions),
        "poster": media_url(job.poster), "duration_s": job.duration_s or 0.0,
    }


def stage_current_job(*, stage) -> VideoJob | None:
    """What the stage shows now: the job being made, else the next one waiting, else one that just finished."""
    jobs = VideoJob.objects.filter(stage=stage)
    job = jobs.filter(state__in=ACTIVE_STATES).first()
    if job is None:
        job = jobs.filter(state=JobState.QUEUED).order_by("created_at").first()
    if job is None:
        recent = timezone.now() - timedelta(seconds=settings.STAGE_RECENT_SECONDS)
        job = jobs.exclude(state=JobState.QUEUED).filter(finished_at__gte=recent).order_by("-finished_at").first()
    return job


def job_ids_with_files() -> set[str]:
    """Jobs whose render folders must stay: still being made, or ready and not expired."""
    live = VideoJob.objects.filter(Q(state__in=OPEN_STATES) | (Q(state=JobState.READY) & ~Q(mp4="")))
    return {str(pk) for pk in live.values_list("pk", flat=True)}


def stage_jobs(*, stage, limit: int = 20):
    return VideoJob.objects.filter(stage=stage).select_related("requester").order_by("-created_at")[:limit]
