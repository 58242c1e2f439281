"""Admins manage stages (CRUD) and look at jobs, which only their services change (cancel is an action)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.stage.models import OnBusy, Stage
from apps.studio.models import JobState, VideoJob


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_stages_are_added_edited_and_deleted_in_the_admin(admin_client):
    assert admin_client.get("/admin/stage/stage/").status_code == 200
    response = admin_client.post("/admin/stage/stage/add/", {
        "name": "Board room", "slug": "board-room", "on_busy": "replace", "max_request_chars": 200, "max_scenes": 6,
        "voice_mode": "wake_phrase",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    stage = Stage.objects.get(slug="board-room")
    assert (stage.on_busy, stage.max_request_chars, stage.max_scenes, stage.voice_mode) == (OnBusy.REPLACE, 200, 6, "wake_phrase")
    listing = admin_client.get("/admin/stage/stage/").content.decode()
    assert 'href="/stage/board-room/"' in listing
    refused = admin_client.post("/admin/stage/stage/add/", {
        "name": "Media", "slug": "media", "on_busy": "queue", "max_request_chars": 300, "max_scenes": 8,
        "voice_mode": "off",
    })
    assert refused.status_code == 200 and "reserved" in refused.content.decode()
    assert admin_client.post(f"/admin/stage/stage/{stage.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Stage.objects.filter(slug="board-room").exists()


def test_jobs_are_read_only_and_can_be_cancelled(admin_client):
    stage = Stage.objects.get(slug="main")
    job = VideoJob.objects.create(stage=stage, request="show me the fleet overview")
    assert admin_client.get("/admin/studio/videojob/add/").status_code == 403
    page = admin_client.get(f"/admin/studio/videojob/{job.pk}/change/").content.decode()
    assert "show me the fleet overview" in page and 'name="request"' not in page
    response = admin_client.post("/admin/studio/videojob/", {"action": "cancel_jobs", "_selected_action": [str(job.pk)]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.error.startswith("Cancelled by ")
