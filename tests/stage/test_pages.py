"""The stage pages: who may see and ask, what a page starts from, the request form's answers."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.events.services import event_publish
from apps.stage.models import Stage
from apps.stage.services import stage_create
from apps.studio.models import JobState, VideoJob
from apps.studio.storyboard import Scene, Storyboard
from tests.stage.conftest import signed_in

REQUEST = "show me the flight memory system status"


def snapshot(response) -> dict:
    match = re.search(r'<script id="stage-snapshot" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match[1])


def job_on(stage, **fields) -> VideoJob:
    board = Storyboard(request="r", summary="The summary", scenes=(Scene("text", "t", "n", 2.0, {}),))
    return VideoJob.objects.create(stage=stage, request="the request", storyboard=board.to_dict(), **fields)


def test_the_main_stage_is_there_from_the_start(db):
    assert Stage.objects.filter(slug="main", name="Main stage").exists()


def test_media_is_not_a_stage_name(db):
    with pytest.raises(ValidationError):
        stage_create(name="Media", slug="media")


@pytest.mark.parametrize("path", ["/stage/", "/stage/main/", "/stage/main/state"])
def test_signed_out_people_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/stage/", "/stage/main/", "/stage/main/state"])
def test_people_without_a_role_may_not_watch(db, path):
    assert signed_in(None).get(path).status_code == 403


def test_the_list_links_every_stage(viewer, stage):
    page = viewer.get("/stage/").content.decode()
    assert f'href="/stage/{stage.slug}/"' in page and 'href="/stage/main/"' in page


def test_a_viewer_watches_but_has_no_request_box(viewer, stage):
    response = viewer.get(f"/stage/{stage.slug}/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert "Say or type what you want to see" in page
    assert 'id="stage-form"' not in page and "Watching only" in page
    assert '<dialog id="stage-player"' in page and 'aria-modal="true"' in page
    assert "/static/vendor/hls/hls.min.js" in page
    assert snapshot(response) == {
        "group": stage.group, "seq": 0, "epoch": None, "job": None, "video": None,
        "limits": {"max_request_chars": 300, "max_scenes": 8, "on_busy": "queue"},
    }


def test_an_operator_has_the_request_box_with_the_stage_limit(operator, stage):
    page = operator.get(f"/stage/{stage.slug}/").content.decode()
    assert 'id="stage-form"' in page and 'maxlength="300"' in page and "csrfmiddlewaretoken" in page


def test_an_unknown_stage_is_404(viewer):
    assert viewer.get("/stage/nowhere/").status_code == 404


def test_the_page_starts_where_the_stage_is(viewer, stage):
    event_publish(group=stage.group, type="stage.caption", payload={"text": "hello", "final": True})
    job = job_on(stage, state=JobState.RENDERING, step="drawing scene 2/4", fraction=0.4, attempts=1)
    snap = snapshot(viewer.get(f"/stage/{stage.slug}/"))
    assert snap["seq"] == 1 and snap["epoch"]
    assert snap["job"] == {"job": str(job.pk), "state": "rendering", "request": "the request", "step": "drawing scene 2/4",
                           "fraction": 0.4, "attempt": 1, "message": "Drawing scene 2/4"}
    assert snap["video"] is None
    assert viewer.get(f"/stage/{stage.slug}/state").json() == snap


def test_a_video_that_just_finished_is_in_the_snapshot_and_an_old_one_is_not(viewer, stage, settings):
    names = {n: f"renders/00000000-0000-0000-0000-000000000000/a1/{f}" for n, f in
             [("playlist", "index.m3u8"), ("mp4", "video.mp4"), ("captions", "captions.vtt"), ("poster", "poster.jpg")]}
    job = job_on(stage, state=JobState.READY, finished_at=timezone.now(), duration_s=12.5, step="ready", fraction=1.0,
                 attempts=1, **names)
    video = snapshot(viewer.get(f"/stage/{stage.slug}/"))["video"]
    assert video == {"job": str(job.pk), "request": "the request", "title": "The summary", "duration_s": 12.5,
                     **{k: f"/stage/media/{v}" for k, v in names.items()}}
    VideoJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(seconds=settings.STAGE_RECENT_SECONDS + 1))
    assert snapshot(viewer.get(f"/stage/{stage.slug}/"))["job"] is None


def test_a_viewer_may_not_ask(viewer, stage):
    response = viewer.post(f"/stage/{stage.slug}/request", {"text": REQUEST}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not VideoJob.objects.exists()


def test_an_operators_request_is_queued(operator, stage, seeded):
    response = operator.post(f"/stage/{stage.slug}/request", {"text": REQUEST}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    job = VideoJob.objects.get()
    assert response.json()["job"]["job"] == str(job.pk) and job.request == REQUEST


def test_a_refused_request_answers_why_and_what_would_work(operator, stage, seeded):
    response = operator.post(f"/stage/{stage.slug}/request", {"text": "show me the weather on mars"},
                             HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("I can't show that yet") and REQUEST in body["suggestions"]
    assert not VideoJob.objects.exists()


def test_without_a_script_the_form_posts_and_comes_back(operator, stage, seeded):
    response = operator.post(f"/stage/{stage.slug}/request", {"text": "x" * 400})
    assert response.status_code == 302 and response["Location"] == f"/stage/{stage.slug}/"
    page = operator.get(response["Location"]).content.decode()
    assert "That request is 400 characters long; this stage takes at most 300." in page
    assert operator.post(f"/stage/{stage.slug}/request", {"text": REQUEST}).status_code == 302
    assert VideoJob.objects.count() == 1


def test_the_request_form_needs_its_csrf_token(stage, seeded):
    from django.test import Client

    from tests.support.users import user_with_role

    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role("operator", username="csrf-op"))
    assert client.post(f"/stage/{stage.slug}/request", {"text": REQUEST}).status_code == 403
    assert not VideoJob.objects.exists()
