"""The studio API: ask a stage for a video (token or session), read stages and jobs, cancel."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from apps.accounts.services import api_token_create
from apps.studio.models import JobState, VideoJob
from tests.support.users import user_with_role

REQUEST = "show me the flight memory system status"


def bearer(role: str, scope: str) -> dict:
    user = user_with_role(role, username=f"{role}-{scope}-{uuid.uuid4().hex[:6]}")
    token = api_token_create(user=user, name="t", scope=scope, expires_in_days=1).plaintext
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def ask(stage, text: str = REQUEST, **auth):
    return Client().post(f"/api/v1/stages/{stage.slug}/requests", {"text": text}, content_type="application/json", **auth)


def test_an_operator_token_asks_for_a_video(stage, seeded):
    response = ask(stage, **bearer("operator", "operate"))
    assert response.status_code == 201
    body = response.json()
    job = VideoJob.objects.get()
    assert body["job"] == str(job.pk) and body["stage"] == stage.slug and body["state"] == "queued"
    assert body["position"] == 1 and body["video"] is None and body["request"] == REQUEST


@pytest.mark.parametrize("role, scope", [("operator", "read"), ("viewer", "operate")])
def test_asking_needs_the_operate_role_and_scope(stage, seeded, role, scope):
    response = ask(stage, **bearer(role, scope))
    assert response.status_code == 403 and "operate" in response.json()["detail"]
    assert not VideoJob.objects.exists()


def test_without_credentials_it_says_how_to_sign_in(stage):
    response = ask(stage)
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


def test_a_refusal_is_a_400_with_suggestions_and_no_job(stage, seeded):
    response = ask(stage, "show me the weather on mars", **bearer("operator", "operate"))
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("I can't show that yet") and REQUEST in body["suggestions"]
    assert not VideoJob.objects.exists()


def test_a_request_over_the_stage_limit_is_a_400(stage, seeded):
    response = ask(stage, "show " * 100, **bearer("operator", "operate"))
    assert response.status_code == 400
    assert response.json()["message"].startswith("That request is 499 characters long")


def test_an_unknown_stage_is_a_404(db):
    from apps.stage.models import Stage

    response = ask(Stage(slug="nowhere"), **bearer("operator", "operate"))
    assert response.status_code == 404 and "GET /api/v1/stages" in response.json()["detail"]


def test_a_session_post_needs_its_csrf_token(stage, seeded):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role("operator", username="session-op"))
    response = client.post(f"/api/v1/stages/{stage.slug}/requests", {"text": REQUEST}, content_type="application/json")
    assert response.status_code == 403 and not VideoJob.objects.exists()
    client.get(f"/stage/{stage.slug}/")  # sets the CSRF cookie, as the page does
    response = client.post(f"/api/v1/stages/{stage.slug}/requests", {"text": REQUEST}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 201


def test_reading_stages_and_jobs(stage, seeded):
    auth = bearer("viewer", "read")
    job_id = ask(stage, **bearer("operator", "operate")).json()["job"]
    stages = Client().get("/api/v1/stages", **auth).json()
    mine = next(s for s in stages if s["slug"] == stage.slug)
    assert mine["group"] == stage.group and mine["job"]["job"] == job_id and mine["seq"] >= 1  # the caption echo (the rest waits for a commit)
    assert Client().get(f"/api/v1/stages/{stage.slug}", **auth).json() == mine
    job = Client().get(f"/api/v1/jobs/{job_id}", **auth).json()
    assert job["state"] == "queued" and job["notes"] == [] and job["timings"] == {}
    assert Client().get(f"/api/v1/jobs/{uuid.uuid4()}", **auth).status_code == 404


def test_cancelling(stage, seeded):
    job_id = ask(stage, **bearer("operator", "operate")).json()["job"]
    assert Client().post(f"/api/v1/jobs/{job_id}/cancel", **bearer("viewer", "read")).status_code == 403
    auth = bearer("operator", "operate")
    response = Client().post(f"/api/v1/jobs/{job_id}/cancel", **auth)
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert VideoJob.objects.get().state == JobState.CANCELLED
    again = Client().post(f"/api/v1/jobs/{job_id}/cancel", **auth)
    assert again.status_code == 409 and "cancelled already" in again.json()["detail"]


def test_the_openapi_schema_documents_the_stage_operations(db, admin_user):
    client = Client()
    client.force_login(admin_user)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/stages", "/api/v1/stages/{slug}", "/api/v1/stages/{slug}/requests", "/api/v1/jobs/{job_id}",
            "/api/v1/jobs/{job_id}/cancel"} <= set(paths)
