"""GET /api/v1/services/{slug}/compliance and /api/v1/compliance: the scorecards of apps.compliance."""

import pytest

from apps.catalog.models import Service
from apps.compliance.services import compliance_scan

pytestmark = pytest.mark.usefixtures("seeded")


def test_it_shows_a_scanned_service_with_its_rule_results(api):
    hub = Service.objects.get(slug="visionspace-automation-hub")
    scan = compliance_scan(service=hub, trigger="manual")
    response = api.get("/api/v1/services/visionspace-automation-hub/compliance")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["scanned"], body["level"], body["score"]) == (True, scan.level, scan.score)
    user_rule = next(row for row in body["results"] if row["rule_id"] == "CS-001")
    assert user_rule["status"] == "fail" and "runs as root" in user_rule["evidence"]
    assert isinstance(user_rule["line"], int) and user_rule["severity"] and user_rule["source"] and user_rule["title"]


def test_it_says_when_a_service_was_never_scanned(api):
    body = api.get("/api/v1/services/prediction-engine/compliance").json()
    assert (body["scanned"], body["level"], body["score"], body["results"]) == (False, "none", 0, [])


def test_it_answers_404_for_an_unknown_service(api):
    response = api.get("/api/v1/services/nope/compliance")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_it_shows_the_fleet_scorecard(api):
    compliance_scan(service=Service.objects.get(slug="visionspace-automation-hub"), trigger="manual")
    body = api.get("/api/v1/compliance").json()
    assert body["services_total"] == 22 and body["services_scanned"] == 1
    assert list(body["levels"]) == ["gold", "silver", "bronze", "none"] and sum(body["levels"].values()) == 22
    assert any(rule["rule_id"] == "CS-001" and rule["failed"] == 1 for rule in body["rules"])
