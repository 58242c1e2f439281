"""The job's state machine, through its services: requests and their limits, claims and retries,
conditional transitions (never two videos), cancelling, replacing and the sweeper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.stage.models import OnBusy
from apps.studio.models import JobState, VideoJob
from apps.studio.services import (
    Claim,
    RequestRefused,
    Superseded,
    attempt_path,
    job_cancel,
    job_claim,
    job_create,
    job_finish,
    job_progress,
    job_request,
    jobs_reap,
)
from apps.studio.storyboard import Scene, Storyboard
from tests.studio.events import payloads, queued_job_ids

REQUEST = "show me the flight memory system status"


def board(scenes: int = 2) -> Storyboard:
    return Storyboard(request="a test", summary="A test", scenes=tuple(
        Scene(kind="text", title=f"Scene {i}", narration=f"Scene number {i}.", duration_s=2.0,
              data={"heading": f"Scene {i}", "lines": ["one"]}) for i in range(scenes)))


def make(stage, scenes: int = 2) -> VideoJob:
    return job_create(stage=stage, requester=None, request="a test", storyboard=board(scenes))


def test_a_request_the_planner_understands_becomes_a_queued_job(stage, operator, seeded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(stage=stage, requester=operator, text=f"  {REQUEST}  ")
    job.refresh_from_db()
    assert (job.state, job.request, job.requester, job.attempts) == (JobState.QUEUED, REQUEST, operator, 0)
    assert [s["kind"] for s in job.storyboard["scenes"]][0] == "title"
    assert payloads(stage.group, "stage.caption") == [{"text": REQUEST, "final": True}]
    (queued,) = payloads(stage.group, "stage.job")
    assert queued["job"] == str(job.id) and queued["state"] == "queued" and queued["position"] == 1


@pytest.mark.parametrize("text, message", [
    ("   ", "Type what you want to see"),
    ("x" * 301, "That request is 301 characters long; this stage takes at most 300."),
])
def test_an_empty_or_too_long_request_is_refused_and_makes_no_job(stage, operator, text, message):
    with pytest.raises(RequestRefused) as refused:
        job_request(stage=stage, requester=operator, text=text)
    assert message in refused.value.message
    assert not VideoJob.objects.exists()
    (event,) = payloads(stage.group, "stage.job")
    assert event["state"] == "refused" and event["job"] is None and message in event["message"]


def test_a_request_the_planner_refuses_makes_no_job_and_the_stage_shows_why(stage, operator, seeded):
    with pytest.raises(RequestRefused) as refused:
        job_request(stage=stage, requester=operator, text="show me the weather on mars")
    assert refused.value.message.startswith("I can't show that yet")
    assert "show me the flight memory system status" in refused.value.suggestions
    assert not VideoJob.objects.exists()
    (event,) = payloads(stage.group, "stage.job")
    assert event["state"] == "refused" and event["suggestions"] == refused.value.suggestions
    assert event["message"] == refused.value.message


def test_a_storyboard_longer_than_the_stage_allows_is_trimmed_with_a_note(stage, django_capture_on_commit_callbacks):
    stage.max_scenes = 3
    stage.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = make(stage, scenes=5)
    assert len(job.storyboard["scenes"]) == 3
    note = "Showing the first 3 of 5 scenes: this stage's limit is 3."
    assert job.notes == [note]
    assert payloads(stage.group, "stage.note") == [{"message": note, "level": "info", "job": str(job.id)}]


def test_a_queue_stage_queues_up_to_its_limit(stage, settings):
    settings.STUDIO_MAX_QUEUED_PER_STAGE = 2
    first, second = make(stage), make(stage)
    with pytest.raises(RequestRefused) as refused:
        make(stage)
    assert refused.value.message == "2 requests are already waiting on this stage; ask again when one of them has played."
    assert set(VideoJob.objects.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_a_replace_stage_cancels_what_it_was_making(stage, django_capture_on_commit_callbacks):
    stage.on_busy = OnBusy.REPLACE
    stage.save()
    old = make(stage)
    claim = job_claim(job_id=old.pk, redelivered=False, worker="w:1")
    with django_capture_on_commit_callbacks(execute=True):
        new = make(stage)
    old.refresh_from_db()
    assert (old.state, old.error) == (JobState.CANCELLED, "Replaced by a newer request.")
    assert new.state == JobState.QUEUED
    with pytest.raises(Superseded):  # the old attempt stops at its next progress report
        job_progress(claim=claim, step="frames", fraction=0.5)
    states = [(p["job"], p["state"]) for p in payloads(stage.group, "stage.job")]
    assert (str(old.pk), "cancelled") in states and (str(new.pk), "queued") in states


def test_a_claim_starts_a_queued_job_once(stage):
    job = make(stage)
    claim = job_claim(job_id=job.pk, redelivered=False, worker="host:1")
    assert claim.attempt == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.worker, job.step) == (JobState.PLANNING, 1, "host:1", "planning")
    assert job.started_at is not None
    assert job_claim(job_id=job.pk, redelivered=False, worker="host:2") is None  # a duplicate message
    job.refresh_from_db()
    assert (job.attempts, job.worker) == (1, "host:1")


def test_one_job_at_a_time_per_stage(stage, other_stage):
    first, second, elsewhere = make(stage), make(stage), make(other_stage)
    assert job_claim(job_id=first.pk, redelivered=False, worker="w:1")
    assert job_claim(job_id=second.pk, redelivered=False, worker="w:2") is None
    assert job_claim(job_id=elsewhere.pk, redelivered=False, worker="w:3")  # other stages are independent
    second.refresh_from_db()
    assert second.state == JobState.QUEUED


def test_the_database_itself_refuses_two_active_jobs_on_a_stage(stage):
    make(stage).__class__.objects.update(state=JobState.RENDERING)
    second = make(stage)
    with pytest.raises(IntegrityError), transaction.atomic():
        VideoJob.objects.filter(pk=second.pk).update(state=JobState.PLANNING)


def test_a_redelivered_message_retries_once_then_fails_with_a_reason(stage):
    job = make(stage)
    job_claim(job_id=job.pk, redelivered=False, worker="w:1")
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.RENDERING)
    retry = job_claim(job_id=job.pk, redelivered=True, worker="w:2")
    assert retry.attempt == 2
    job.refresh_from_db()
    assert (job.state, job.worker) == (JobState.PLANNING, "w:2")
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.RENDERING)
    assert job_claim(job_id=job.pk, redelivered=True, worker="w:3") is None
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "The worker died during rendering twice.")
    notes = payloads(stage.group, "stage.note")
    assert notes[0]["message"] == "The worker making this video stopped during rendering; starting it again."
    assert payloads(stage.group, "stage.job")[-1]["error"] == "The worker died during rendering twice."


def test_a_finished_job_is_left_alone(stage):
    job = make(stage)
    job_cancel(job=job)
    assert job_claim(job_id=job.pk, redelivered=True, worker="w:1") is None
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED


def test_only_the_current_attempt_makes_the_job_ready(stage, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = make(stage)
    first = job_claim(job_id=job.pk, redelivered=False, worker="w:1")
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.RENDERING)
    second = job_claim(job_id=job.pk, redelivered=True, worker="w:2")
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.RENDERING)
    for claim in (first, second):
        attempt_path(job, claim.attempt).mkdir(parents=True)
    files = {name: f"renders/{job.pk}/a2/{name}" for name in ("playlist", "mp4", "captions", "poster")}
    stale = Claim(job=VideoJob.objects.get(pk=job.pk), attempt=first.attempt)
    assert job_finish(claim=stale, files=files, duration_s=4.0, timings={}) is False
    with pytest.raises(Superseded):
        job_progress(claim=stale, step="frames", fraction=0.2)
    assert job_finish(claim=second, files=files, duration_s=4.0, timings={"render": 1.0}) is True
    assert job_finish(claim=second, files=files, duration_s=4.0, timings={}) is False  # once
    job.refresh_from_db()
    assert (job.state, job.fraction, job.mp4) == (JobState.READY, 1.0, files["mp4"])
    assert not attempt_path(job, 1).exists() and attempt_path(job, 2).exists()
    assert len(payloads(stage.group, "stage.video")) == 1


def test_the_sweeper_fails_jobs_whose_worker_vanished(stage, settings):
    settings.STUDIO_RENDER_TIMEOUT_SECONDS, settings.STUDIO_REAP_GRACE_SECONDS = 300, 60
    job = make(stage)
    job_claim(job_id=job.pk, redelivered=False, worker="w:1")
    VideoJob.objects.filter(pk=job.pk).update(state=JobState.RENDERING)
    assert jobs_reap(now=timezone.now() + timedelta(seconds=300)) == 0  # still within its time
    assert jobs_reap(now=timezone.now() + timedelta(seconds=361)) == 1
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "No result after 360 s: the worker making this video stopped.")


def test_the_end_of_a_job_starts_the_next_one(stage, django_capture_on_commit_callbacks):
    first = make(stage)
    second = make(stage)
    job_claim(job_id=first.pk, redelivered=False, worker="w:1")
    with django_capture_on_commit_callbacks(execute=True):
        job_cancel(job=first, reason="Cancelled by a test.")
    assert queued_job_ids().count(str(second.pk)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        jobs_reap()  # a stage with a waiting job and nothing running gets it started
    assert queued_job_ids().count(str(second.pk)) == 2  # a duplicate message is harmless: claims are conditional


def test_the_waiting_jobs_hear_they_moved_up(stage, django_capture_on_commit_callbacks):
    first, second, third = make(stage), make(stage), make(stage)
    job_claim(job_id=first.pk, redelivered=False, worker="w:1")
    with django_capture_on_commit_callbacks(execute=True):
        job_cancel(job=first, reason="Cancelled by a test.")
    positions = {p["job"]: p["position"] for p in payloads(stage.group, "stage.job") if p["state"] == "queued"}
    assert positions == {str(second.pk): 1, str(third.pk): 2}
