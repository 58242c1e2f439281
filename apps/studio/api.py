"""The studio REST API (mounted at /api/v1/): stages, requests for videos, jobs. Thin: services do the work."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError

from apps.accounts.api_auth import API_AUTH, require
from apps.stage.models import Stage
from apps.stage.selectors import stage_get, stage_list, stage_snapshot

from .models import VideoJob
from .selectors import job_event_payload, job_get, job_video_payload
from .services import RequestRefused, job_cancel, job_request


def sign_in_required(request: HttpRequest) -> None:
    raise AuthenticationError(401, "Sign in first, or send a personal API token as 'Authorization: Bearer <token>'.")


router = Router(tags=["stages"], auth=[*API_AUTH, sign_in_required])


class Error(Schema):
    detail: str = Field(description="What went wrong and what to do about it.")


class Refusal(Schema):
    message: str = Field(description="Why no video will be made.")
    suggestions: list[str] = Field(description="Requests that would work.")


class VideoRequest(Schema):
    text: str = Field(min_length=1, max_length=4000, description="What to show, as someone would say it.")


class JobOut(Schema):
    job: UUID
    stage: str
    state: str = Field(description="queued, planning, rendering, ready, failed or cancelled")
    request: str
    step: str
    fraction: float
    attempt: int
    position: int | None = Field(None, description="queued: 1 + the requests ahead of it")
    message: str | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None
    timings: dict[str, float]
    notes: list[str]
    video: dict | None = Field(None, description="ready: playlist, mp4, captions and poster URLs, duration_s")
    expired: bool = Field(False, description="ready, but the files were deleted after the retention period")


class StageOut(Schema):
    slug: str
    name: str
    on_busy: str
    max_request_chars: int
    max_scenes: int
    group: str = Field(description="The websocket event group: /ws/events/<group>/")
    seq: int = Field(description="The group's newest event when this was read")
    job: dict | None = Field(None, description="The stage.job payload of what the stage shows now")


def job_out(job: VideoJob) -> dict:
    payload = job_event_payload(job=job)
    return {
        **payload, "stage": job.stage.slug, "created_at": job.created_at, "finished_at": job.finished_at,
        "timings": job.timings, "notes": job.notes,
        "video": job_video_payload(job=job) if job.state == "ready" and not job.expired else None,
        "expired": job.expired,
    }


def stage_or_404(slug: str) -> Stage:
    try:
        return stage_get(slug=slug)
    except Stage.DoesNotExist:
        raise HttpError(404, f"No stage is called {slug!r}; GET /api/v1/stages lists them.") from None


def stage_out(stage: Stage) -> dict:
    snapshot = stage_snapshot(stage=stage)
    return {"slug": stage.slug, "name": stage.name, "on_busy": stage.on_busy, "max_request_chars": stage.max_request_chars,
            "max_scenes": stage.max_scenes, "group": stage.group, "seq": snapshot["seq"], "job": snapshot["job"]}


@router.get("/stages", response=list[StageOut], url_name="stage_list", operation_id="stage_list", summary="List stages")
def stage_list_api(request: HttpRequest):
    require(request, "view_fleet")
    return [stage_out(stage) for stage in stage_list()]


@router.get("/stages/{slug}", response={200: StageOut, 404: Error}, url_name="stage_get", operation_id="stage_get",
            summary="One stage and what it shows now")
def stage_get_api(request: HttpRequest, slug: str):
    require(request, "view_fleet")
    return stage_out(stage_or_404(slug))


@router.post("/stages/{slug}/requests", response={201: JobOut, 400: Refusal, 404: Error}, url_name="stage_request",
             operation_id="stage_request", summary="Ask a stage for a video")
def stage_request_api(request: HttpRequest, slug: str, body: VideoRequest):
    """Plans the request at once: 201 with the queued job, or 400 with why not and what would work
    (no job is made; the stage shows the refusal too). The job's progress and its video reach the
    stage's websocket group; GET /api/v1/jobs/{id} polls it."""
    require(request, "operate")
    stage = stage_or_404(slug)
    try:
        job = job_request(stage=stage, requester=request.user, text=body.text)
    except RequestRefused as exc:
        return Status(400, {"message": exc.message, "suggestions": exc.suggestions})
    return Status(201, job_out(job))


def job_or_404(job_id: UUID) -> VideoJob:
    try:
        return job_get(job_id=job_id)
    except VideoJob.DoesNotExist:
        raise HttpError(404, f"No job has the id {job_id}.") from None


@router.get("/jobs/{job_id}", response={200: JobOut, 404: Error}, url_name="job_get", operation_id="job_get",
            summary="One video job")
def job_get_api(request: HttpRequest, job_id: UUID):
    require(request, "view_fleet")
    return job_out(job_or_404(job_id))


@router.post("/jobs/{job_id}/cancel", response={200: JobOut, 404: Error, 409: Error}, url_name="job_cancel",
             operation_id="job_cancel", summary="Cancel a job that has not finished")
def job_cancel_api(request: HttpRequest, job_id: UUID):
    require(request, "operate")
    job = job_or_404(job_id)
    if not job_cancel(job=job, reason=f"Cancelled by {request.user}."):
        raise HttpError(409, f"The job is {job.state} already; only queued, planning or rendering jobs can be cancelled.")
    return job_out(job_or_404(job_id))
