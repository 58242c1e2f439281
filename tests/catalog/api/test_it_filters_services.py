"""GET /api/v1/services filters: category, status, owner, level, q, include_orphaned."""

import pytest

from apps.catalog.models import Service

pytestmark = pytest.mark.usefixtures("seeded")


def slugs(api, query: str) -> set[str]:
    response = api.get(f"/api/v1/services?{query}")
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["items"]}


def test_it_filters_by_category_status_and_owner(api):
    assert len(slugs(api, "category=vls")) == 11
    assert len(slugs(api, "status=needs_containerisation")) == 6
    assert slugs(api, "owner=group:integrations") == set(
        Service.objects.filter(owner="group:integrations").values_list("slug", flat=True))
    assert slugs(api, "category=vls&status=integration_needed") == set()


def test_it_filters_by_compliance_level(api):
    Service.objects.filter(slug="dr-maria-support").update(compliance_level="gold", compliance_score=100)
    assert slugs(api, "level=gold") == {"dr-maria-support"}


def test_it_searches_slug_name_purpose_and_tags(api):
    assert slugs(api, "q=lucy") == {"dr-lucy-flight-memory"}
    assert slugs(api, "q=Forecasting") == {"prediction-engine"}
    assert "visionspace-automation-hub" in slugs(api, "q=voice")


def test_it_hides_orphaned_services_unless_asked(api):
    Service.objects.filter(slug="prediction-engine").update(orphaned=True)
    assert "prediction-engine" not in slugs(api, "")
    assert "prediction-engine" in slugs(api, "include_orphaned=true")


@pytest.mark.parametrize("name, allowed", [
    ("status", "'containerised', 'needs_containerisation' or 'integration_needed'"),
    ("category", "'vls', 'diamond_cli' or 'integration'"),
    ("level", "'none', 'bronze', 'silver' or 'gold'"),
])
def test_it_answers_422_listing_the_allowed_values(api, name, allowed):
    response = api.get(f"/api/v1/services?{name}=bogus")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", name]
    assert allowed in error["msg"]
