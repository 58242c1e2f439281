"""Reads of stages, and what a stage page starts from."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.events import store
from apps.studio.models import JobState
from apps.studio.selectors import job_event_payload, job_video_payload, stage_current_job

from .models import Stage


def stage_list() -> QuerySet[Stage]:
    return Stage.objects.order_by("name")


def stage_get(*, slug: str) -> Stage:
    return Stage.objects.get(slug=slug)


def stage_snapshot(*, stage: Stage) -> dict:
    """The stage as it is now, and the event seq it is as of: the page resumes its websocket from there.

    The seq is read before the job, so an event published in between is replayed rather
    than lost (applying a stage.job twice changes nothing).
    """
    head = store.head(stage.group)
    job = stage_current_job(stage=stage)
    return {
        "group": stage.group,
        "seq": head.seq,
        "epoch": head.epoch or None,
        "job": job_event_payload(job=job) if job else None,
        "video": job_video_payload(job=job) if job and job.state == JobState.READY and not job.expired else None,
        "limits": {"max_request_chars": stage.max_request_chars, "max_scenes": stage.max_scenes,
                   "on_busy": stage.on_busy},
    }
