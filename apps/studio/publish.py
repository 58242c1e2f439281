"""What the studio tells a stage: its events on ``stage.<slug>`` (schemas in event_schemas/)."""

from __future__ import annotations

import logging

import redis

from apps.events.services import event_publish

from .event_types import CAPTION, JOB, NOTE, VIDEO
from .models import JobState, VideoJob
from .selectors import job_event_payload, job_video_payload

log = logging.getLogger(__name__)


def _publish(group: str, type: str, payload: dict) -> None:
    # The job is the truth and the stage reloads it from the database; an event lost to a
    # Redis hiccup is a late screen, not a broken job. Invalid payloads still raise.
    try:
        event_publish(group=group, type=type, payload=payload)
    except (redis.RedisError, OSError):
        log.exception("stage event not published", extra={"group": group, "type": type})


def job_announce(*, job: VideoJob, **extra) -> None:
    _publish(job.stage.group, JOB, job_event_payload(job=job, **extra))


def refusal_announce(*, stage, request: str, message: str, suggestions: list[str]) -> None:
    _publish(stage.group, JOB, {
        "job": None, "state": "refused", "request": request[:2000], "step": "refused", "fraction": 0.0,
        "message": message[:500], "suggestions": [s[:200] for s in suggestions[:8]],
    })


def note_announce(*, stage, message: str, level: str = "warning", job: VideoJob | None = None) -> None:
    payload = {"message": message[:500], "level": level}
    if job is not None:
        payload["job"] = str(job.id)
    _publish(stage.group, NOTE, payload)


def caption_announce(*, stage, text: str, final: bool) -> None:
    _publish(stage.group, CAPTION, {"text": text[:2000], "final": final})


def video_announce(*, job: VideoJob) -> None:
    if job.state == JobState.READY:
        _publish(job.stage.group, VIDEO, job_video_payload(job=job))
