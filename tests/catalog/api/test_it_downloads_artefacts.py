"""GET /api/v1/services/{slug}/artefacts/{kind} and /api/v1/artefacts/{kind}: the file itself."""

import pytest
import yaml

pytestmark = pytest.mark.usefixtures("seeded")


def test_it_downloads_one_services_compose_file(api):
    response = api.get("/api/v1/services/visionspace-automation-hub/artefacts/compose")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/yaml")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert ".compose.yml" in response["Content-Disposition"]
    project = yaml.safe_load(response.content)
    assert len(project["services"]) == 1


def test_it_downloads_the_fleets_kubernetes_manifests(api):
    response = api.get("/api/v1/artefacts/kubernetes")
    assert response.status_code == 200, response.content
    kinds = [doc["kind"] for doc in yaml.safe_load_all(response.content) if doc]
    assert kinds.count("Deployment") == 22


def test_it_downloads_a_dockerfile_as_text(api):
    response = api.get("/api/v1/services/visionspace-automation-hub/artefacts/dockerfile")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="Dockerfile"'
    assert b"FROM " in response.content


def test_it_refuses_a_fleet_dockerfile_with_400_and_the_reason(api):
    response = api.get("/api/v1/artefacts/dockerfile")
    assert response.status_code == 400
    assert "one service at a time" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/artefacts/helm", "/api/v1/services/prediction-engine/artefacts/helm"])
def test_it_answers_404_for_an_unknown_kind_listing_the_kinds(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "No artefact of kind 'helm'; kinds are: compose, knative, kubernetes, "
                                         "workflow, dockerfile."}


def test_it_answers_404_for_an_unknown_service(api):
    assert api.get("/api/v1/services/nope/artefacts/compose").status_code == 404
