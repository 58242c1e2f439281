"""Jobs on real Celery workers (subprocesses on the test database and this run's Redis):
a job runs to one video; a worker SIGKILLed mid-render is retried on a fresh attempt, or the
job fails with a reason after the second death; a whole worker lost is reaped; a job
cancelled mid-render stops and leaves nothing behind. Never stuck, never two videos."""

from __future__ import annotations

import base64
import os
import secrets
import signal
from datetime import timedelta
from pathlib import Path

import av
import psutil
import pytest
from django.conf import settings
from django.utils import timezone

from apps.stage.services import stage_create
from apps.studio.models import JobState, VideoJob
from apps.studio.render.outputs import INIT_NAME
from apps.studio.services import job_cancel, job_create, job_request, jobs_reap
from apps.studio.storyboard import Scene, Storyboard
from tests.studio.events import is_job, payloads, wait_for_event
from tests.support import processes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KILL_AT = "drawing scene 3/"


def long_board(scenes: int = 40) -> Storyboard:
    # Many scenes make a render last seconds, deterministically: each is drawn and encoded in turn.
    return Storyboard(request="a long video", summary="A long video", scenes=tuple(
        Scene(kind="text", title=f"Part {i + 1}", narration=f"This is part {i + 1} of a long video.", duration_s=6.0,
              data={"heading": f"Part {i + 1}", "lines": [f"Line {n}" for n in range(4)]}) for i in range(scenes)))


def new_stage(**fields):
    return stage_create(name="Test wall", slug=f"wall-{secrets.token_hex(4)}", max_scenes=40, **fields)


def worker_env() -> dict[str, str]:
    return processes.subprocess_env(OUTBOUND_ALLOW_PRIVATE="true")


def renders_of(job: VideoJob) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "renders" / str(job.pk)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def attempt_pid(job: VideoJob) -> int:
    job.refresh_from_db()
    return int(job.worker.rsplit(":", 1)[1])


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def test_a_typed_request_becomes_one_playable_video(seeded):
    from tests.support.users import user_with_role

    stage = new_stage()
    with processes.celery_worker(worker_env()):
        job = job_request(stage=stage, requester=user_with_role("operator"), text="show me the flight memory system status")
        wait_for_event(stage.group, is_job(job.pk, "ready"), timeout=120)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (JobState.READY, 1, "")
    steps = [p["step"] for p in payloads(stage.group, "stage.job") if p["job"] == str(job.pk)]
    assert steps[:3] == ["queued", "planning", "rendering"] and steps[-1] == "ready"
    assert "first_segment" in steps and steps.index("first_segment") < steps.index("ready")
    # The first-segment event carries what the player would otherwise fetch before the first segment.
    (first,) = [p for p in payloads(stage.group, "stage.job") if p["job"] == str(job.pk) and p["step"] == "first_segment"]
    assert "seg_000.m4s" in first["start"]["playlist_text"] and "#EXT-X-ENDLIST" not in first["start"]["playlist_text"]
    init = Path(settings.MEDIA_ROOT) / Path(job.playlist).parent / INIT_NAME
    assert base64.b64decode(first["start"]["init_b64"]) == init.read_bytes()
    (video,) = payloads(stage.group, "stage.video")
    assert video["job"] == str(job.pk) and video["mp4"].endswith(f"renders/{job.pk}/a1/video.mp4")
    for name in ("playlist", "mp4", "captions", "poster"):
        assert (Path(settings.MEDIA_ROOT) / getattr(job, name)).is_file()
    with av.open(str(Path(settings.MEDIA_ROOT) / job.mp4)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert abs(float(container.duration / 1_000_000) - job.duration_s) < 0.5
    assert {"components", "render", "total", "first_segment"} <= set(job.timings)
    assert job.timings["first_segment"] < job.timings["total"]


def test_a_worker_killed_mid_render_is_retried_and_one_video_comes_out():
    stage = new_stage()
    env = worker_env()
    with processes.celery_worker(env), processes.celery_worker(env):
        job = job_create(stage=stage, requester=None, request="a long video", storyboard=long_board())
        wait_for_event(stage.group, is_job(job.pk, "rendering", step_prefix=KILL_AT), timeout=120)
        killed = attempt_pid(job)
        kill(killed)
        wait_for_event(stage.group, is_job(job.pk, "ready", "failed"), timeout=240)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.READY, 2), job.error
    assert attempt_pid(job) != killed
    assert renders_of(job) == ["a2"]  # the dead attempt's files are gone
    assert [v["job"] for v in payloads(stage.group, "stage.video")] == [str(job.pk)]
    notes = [n["message"] for n in payloads(stage.group, "stage.note")]
    assert "The worker making this video stopped during rendering; starting it again." in notes
    with av.open(str(Path(settings.MEDIA_ROOT) / job.mp4)) as container:
        assert abs(float(container.duration / 1_000_000) - job.duration_s) < 0.5


def test_a_job_whose_worker_dies_twice_fails_with_the_reason():
    stage = new_stage()
    env = worker_env()
    with processes.celery_worker(env), processes.celery_worker(env):
        job = job_create(stage=stage, requester=None, request="a long video", storyboard=long_board())
        wait_for_event(stage.group, is_job(job.pk, "rendering", step_prefix=KILL_AT), timeout=120)
        kill(attempt_pid(job))
        second = wait_for_event(stage.group, lambda m: is_job(job.pk, "rendering", step_prefix=KILL_AT)(m)
                                and m["payload"]["attempt"] == 2, timeout=120)
        kill(attempt_pid(job))
        failed = wait_for_event(stage.group, is_job(job.pk, "failed", "ready"), after=second["seq"], timeout=120)
    assert failed["payload"]["error"] == "The worker died during rendering twice."
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (JobState.FAILED, "The worker died during rendering twice.", 2)
    assert renders_of(job) == []
    assert payloads(stage.group, "stage.video") == []


def test_a_lost_worker_is_reaped_and_the_stage_goes_on():
    stage = new_stage()
    env = worker_env()
    with processes.celery_worker(env), processes.celery_worker(env):
        job = job_create(stage=stage, requester=None, request="a long video", storyboard=long_board())
        wait_for_event(stage.group, is_job(job.pk, "rendering", step_prefix=KILL_AT), timeout=120)
        child = psutil.Process(attempt_pid(job))
        main = psutil.Process(child.ppid())
        for process in (main, child):  # the whole worker: its message waits, unacknowledged, in Redis
            process.kill()
        job.refresh_from_db()
        assert job.state == JobState.RENDERING
        limit = settings.STUDIO_RENDER_TIMEOUT_SECONDS + settings.STUDIO_REAP_GRACE_SECONDS
        assert jobs_reap(now=job.started_at + timedelta(seconds=limit + 1)) == 1
        job.refresh_from_db()
        assert job.state == JobState.FAILED and job.error == f"No result after {limit} s: the worker making this video stopped."
        # Nothing holds the stage: the next request is made (by the worker still alive).
        nxt = job_create(stage=stage, requester=None, request="a short one", storyboard=long_board(2))
        wait_for_event(stage.group, is_job(nxt.pk, "ready"), timeout=120)
    assert [v["job"] for v in payloads(stage.group, "stage.video")] == [str(nxt.pk)]


def test_a_job_cancelled_mid_render_stops_and_leaves_nothing():
    stage = new_stage()
    with processes.celery_worker(worker_env()):
        job = job_create(stage=stage, requester=None, request="a long video", storyboard=long_board())
        wait_for_event(stage.group, is_job(job.pk, "rendering", step_prefix=KILL_AT), timeout=120)
        assert job_cancel(job=job, reason="Cancelled by a test.")
        # One worker: the next job starts only when the cancelled attempt has stopped and cleaned up.
        nxt = job_create(stage=stage, requester=None, request="a short one", storyboard=long_board(2))
        wait_for_event(stage.group, is_job(nxt.pk, "ready"), timeout=120)
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.CANCELLED, "Cancelled by a test.")
    assert renders_of(job) == []
    assert [v["job"] for v in payloads(stage.group, "stage.video")] == [str(nxt.pk)]
    assert timezone.now() - job.finished_at < timedelta(minutes=5)


def test_a_render_over_the_time_limit_is_stopped_with_a_clear_message(settings):
    settings.STUDIO_RENDER_TIMEOUT_SECONDS = 2  # the limit travels in the message; the worker words the reason
    stage = new_stage()
    with processes.celery_worker({**worker_env(), "STUDIO_RENDER_TIMEOUT_SECONDS": "2"}):
        job = job_create(stage=stage, requester=None, request="a long video", storyboard=long_board())
        failed = wait_for_event(stage.group, is_job(job.pk, "failed", "ready"), timeout=120)
    assert failed["payload"].get("error") == "The video took longer than 2 s to make and was stopped."
    job.refresh_from_db()
    assert job.state == JobState.FAILED and renders_of(job) == []
    assert payloads(stage.group, "stage.video") == []
