"""GET /api/v1/services: the catalogue, paginated, with each service's container, compliance and health."""

import pytest
from django.urls import reverse

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.schemas import ServicePage

pytestmark = pytest.mark.usefixtures("seeded")


def test_it_lists_the_22_seeded_services_with_their_container(api):
    response = api.get("/api/v1/services")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 22 and len(body["items"]) == 22
    hub = next(item for item in body["items"] if item["slug"] == "visionspace-automation-hub")
    assert hub["system"] == "visionspace-platform"
    assert hub["category"] == "integration" and hub["status"] == "integration_needed"
    assert hub["compliance"] == {"level": "none", "score": 0}
    assert hub["health"] == {"status": "unknown", "checked_at": None}
    assert hub["container"] == {
        "image_ref": "gcr.io/api-for-warp-drive/visionspace:latest", "ports": [8080, 8081], "cpu": "2",
        "memory": "4Gi", "replicas": 3, "min_instances": 1, "max_instances": 100, "regions": ["us-west1"],
    }
    assert hub["links"] == {
        "self": "http://testserver/api/v1/services/visionspace-automation-hub",
        "ui": "http://testserver" + reverse("catalog:service", kwargs={"slug": "visionspace-automation-hub"}),
    }


def test_it_orders_by_category_then_slug(api):
    slugs = [(item["category"], item["slug"]) for item in api.get("/api/v1/services").json()["items"]]
    assert slugs == sorted(slugs)


def test_it_pages_with_limit_and_offset(api):
    first = api.get("/api/v1/services?limit=5").json()
    second = api.get("/api/v1/services?limit=5&offset=5").json()
    assert first["count"] == second["count"] == 22
    assert len(first["items"]) == len(second["items"]) == 5
    everything = [item["slug"] for item in api.get("/api/v1/services").json()["items"]]
    assert [item["slug"] for item in first["items"] + second["items"]] == everything[:10]


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1"])
def test_it_refuses_a_page_size_out_of_range(api, query):
    response = api.get(f"/api/v1/services?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]


def test_every_item_has_exactly_the_documented_shape(api):
    # The list skips response validation for speed; this holds it to the OpenAPI schema instead.
    Service.objects.filter(slug="prediction-engine").update(health_status="up",
                                                            health_checked_at="2026-01-02T03:04:05Z")
    ContainerSpec.objects.filter(service__slug="dr-maria-support").delete()
    body = api.get("/api/v1/services?limit=1000").json()
    assert ServicePage.model_validate(body).model_dump(mode="json") == body
    by_slug = {item["slug"]: item for item in body["items"]}
    assert by_slug["dr-maria-support"]["container"] is None
    assert by_slug["prediction-engine"]["health"] == {"status": "up", "checked_at": "2026-01-02T03:04:05Z"}


def test_it_never_lists_secrets(api):
    text = api.get("/api/v1/services").content.decode()
    assert "daily/api-key" not in text and "DAILY_API_KEY" not in text
