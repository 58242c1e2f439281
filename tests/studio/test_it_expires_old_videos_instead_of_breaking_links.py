"""Retention: a ready video older than STUDIO_RENDER_RETENTION_DAYS is marked expired before its
folder is deleted, so its job says so (no dead links); younger videos and open jobs keep theirs."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django.test import Client
from django.utils import timezone

from apps.studio.models import JobState, VideoJob
from apps.studio.tasks import renders_prune_task
from tests.support.users import user_with_role


def ready_job(stage, *, days_ago: float, media_root: Path) -> VideoJob:
    job = VideoJob.objects.create(stage=stage, request="show me the fleet", state=JobState.READY, attempts=1,
                                  finished_at=timezone.now() - timedelta(days=days_ago), duration_s=12.0)
    folder = media_root / job.attempt_dir()
    folder.mkdir(parents=True)
    for name in ("video.mp4", "index.m3u8", "captions.vtt", "poster.jpg"):
        (folder / name).write_bytes(b"\x00" * 8)
    job.mp4, job.playlist = f"{job.attempt_dir()}/video.mp4", f"{job.attempt_dir()}/index.m3u8"
    job.captions, job.poster = f"{job.attempt_dir()}/captions.vtt", f"{job.attempt_dir()}/poster.jpg"
    job.save()
    return job


def age(folder: Path, *, days: float) -> None:
    then = time.time() - days * 24 * 3600
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (then, then))


def test_it_expires_old_ready_videos_and_keeps_young_ones(stage, settings, tmp_path):
    settings.MEDIA_ROOT, settings.STUDIO_RENDER_RETENTION_DAYS = tmp_path, 7
    old, young = ready_job(stage, days_ago=8, media_root=tmp_path), ready_job(stage, days_ago=1, media_root=tmp_path)
    age(tmp_path / "renders" / str(old.id), days=8)

    assert renders_prune_task.apply().get() == 1

    old.refresh_from_db()
    young.refresh_from_db()
    assert old.expired and old.mp4 == "" and "deleted after 7 days" in old.notes[-1]
    assert not (tmp_path / "renders" / str(old.id)).exists()
    assert not young.expired and (tmp_path / young.mp4).exists()

    client = Client()
    client.force_login(user_with_role("viewer"))
    body = client.get(f"/api/v1/jobs/{old.id}").json()
    assert body["state"] == "ready" and body["expired"] is True and body["video"] is None
    assert client.get(f"/api/v1/jobs/{young.id}").json()["video"]["mp4"].endswith("video.mp4")


def test_it_keeps_the_folder_of_a_ready_video_whose_files_look_old(stage, settings, tmp_path):
    """Files untouched for longer than the retention (copied in with old mtimes, say) of a video that
    finished recently stay: the job still links to them."""
    settings.MEDIA_ROOT, settings.STUDIO_RENDER_RETENTION_DAYS = tmp_path, 7
    job = ready_job(stage, days_ago=1, media_root=tmp_path)
    age(tmp_path / "renders" / str(job.id), days=30)

    assert renders_prune_task.apply().get() == 0
    assert (tmp_path / job.mp4).exists()
