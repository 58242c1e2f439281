"""GET /api/v1/services/{slug}: everything about one service except secret values."""

import pytest

from apps.catalog.models import ContainerSpec, Service

pytestmark = pytest.mark.usefixtures("seeded")


def test_it_shows_description_container_and_relations(api):
    response = api.get("/api/v1/services/daily-video-automation")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"].startswith("13 ms median first-hop latency")
    assert body["container"]["image_ref"] == "gcr.io/api-for-warp-drive/daily-pipecat:latest"
    assert body["container"]["env"]["PIPECAT_CONFIG"] == "production"
    assert body["container"]["secret_refs"] == ["DAILY_API_KEY", "DAILY_DOMAIN"]
    pipecat = {"type": "dependsOn", "slug": "pipecat-voice-processing", "name": "PipeCat Voice Processing"}
    hub = {"type": "dependsOn", "slug": "visionspace-automation-hub", "name": "VisionSpace Automation Hub"}
    assert pipecat in body["relations_out"] and hub in body["relations_in"]
    assert body["links"]["self"] == "http://testserver/api/v1/services/daily-video-automation"


def test_it_never_shows_a_secret_value_or_key_manager_path(api):
    spec = ContainerSpec.objects.get(service__slug="daily-video-automation")
    # Even if a secret's value found its way into env, the secret ref wins.
    spec.env = {**spec.env, "DAILY_API_KEY": "sk-live-do-not-leak"}
    spec.save()
    text = api.get("/api/v1/services/daily-video-automation").content.decode()
    assert "sk-live-do-not-leak" not in text
    assert "daily/api-key" not in text


def test_it_shows_external_links_and_annotations(api):
    Service.objects.filter(slug="prediction-engine").update(
        links=[{"url": "https://example.org/runbook", "title": "Runbook"}],
        annotations={"backstage.io/techdocs-ref": "dir:."},
    )
    body = api.get("/api/v1/services/prediction-engine").json()
    assert body["external_links"] == [
        {"url": "https://example.org/runbook", "title": "Runbook", "icon": None, "type": None}]
    assert body["annotations"] == {"backstage.io/techdocs-ref": "dir:."}


def test_it_shows_an_orphaned_service_as_orphaned(api):
    Service.objects.filter(slug="prediction-engine").update(orphaned=True)
    assert api.get("/api/v1/services/prediction-engine").json()["orphaned"] is True


def test_it_answers_404_with_a_clear_message(api):
    response = api.get("/api/v1/services/no-such-service")
    assert response.status_code == 404
    assert response.json() == {"detail": "No service has the slug 'no-such-service'; GET /api/v1/services lists them."}


def test_it_shows_what_the_list_shows_and_more(api):
    ContainerSpec.objects.filter(service__slug="prediction-engine").update(digest="sha256:" + "a" * 64)
    item = next(i for i in api.get("/api/v1/services").json()["items"] if i["slug"] == "prediction-engine")
    detail = api.get("/api/v1/services/prediction-engine").json()
    assert {key: detail[key] for key in item if key != "container"} == {k: item[k] for k in item if k != "container"}
    assert {key: detail["container"][key] for key in item["container"]} == item["container"]
    assert item["container"]["image_ref"].endswith(":latest@sha256:" + "a" * 64)
