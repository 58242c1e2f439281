"""Artefacts download from the UI: one service's or the fleet's, as attachments with safe
file names; an unknown kind is 404 and a kind that does not apply says why (409)."""

import re

import pytest
import yaml

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.services import catalog_seed
from apps.catalog.views import safe_filename
from tests.support.users import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client):
    catalog_seed()
    client.force_login(user_with_role("viewer"))
    return client


def attachment_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    return re.search(r'filename="([^"]+)"', disposition).group(1)


def test_it_needs_a_signed_in_user(client):
    catalog_seed()
    assert client.get("/catalogue/artefacts/compose/").status_code == 302
    assert client.get("/catalogue/prediction-engine/artefacts/compose/").status_code == 302


def test_one_service_compose_file_downloads_as_an_attachment(viewer):
    response = viewer.get("/catalogue/visionspace-automation-hub/artefacts/compose/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert attachment_name(response).endswith(".yml")
    project = yaml.safe_load(response.content)
    [service] = project["services"].values()
    assert service["image"] == "gcr.io/api-for-warp-drive/visionspace:latest"


def test_the_fleet_compose_file_has_every_service(viewer):
    response = viewer.get("/catalogue/artefacts/compose/")
    assert response.status_code == 200
    assert len(yaml.safe_load(response.content)["services"]) == 22


def test_the_fleet_knative_file_has_a_document_per_service(viewer):
    response = viewer.get("/catalogue/artefacts/knative/")
    documents = [d for d in yaml.safe_load_all(response.content) if d]
    assert response.status_code == 200 and attachment_name(response)
    assert {d["kind"] for d in documents} == {"Service"} and len(documents) == 22


def test_an_orphaned_service_is_left_out_of_the_fleet(viewer):
    Service.objects.filter(slug="prediction-engine").update(orphaned=True)
    response = viewer.get("/catalogue/artefacts/compose/")
    assert len(yaml.safe_load(response.content)["services"]) == 21


def test_an_unknown_kind_is_404(viewer):
    assert viewer.get("/catalogue/artefacts/helm/").status_code == 404
    assert viewer.get("/catalogue/prediction-engine/artefacts/helm/").status_code == 404
    assert viewer.get("/catalogue/no-such-service/artefacts/compose/").status_code == 404


def test_a_dockerfile_for_the_fleet_is_refused_with_a_reason(viewer):
    response = viewer.get("/catalogue/artefacts/dockerfile/")
    assert response.status_code == 409
    assert "choose one service" in response.content.decode()


def test_a_dockerfile_for_a_service_without_a_runtime_says_what_to_set(viewer):
    response = viewer.get("/catalogue/dr-lucy-flight-memory/artefacts/dockerfile/")  # runtime "other"
    html = response.content.decode()
    assert response.status_code == 409
    assert "set the container spec&#x27;s runtime" in html and "Back to the catalogue" in html


def test_a_dockerfile_for_a_service_with_a_runtime_downloads(viewer):
    response = viewer.get("/catalogue/prediction-engine/artefacts/dockerfile/")
    assert response.status_code == 200
    assert attachment_name(response) == "Dockerfile"
    assert response["Content-Type"].startswith("text/plain")
    assert b"\nUSER " in response.content


def test_a_service_without_a_container_spec_gets_a_reason_not_a_crash(viewer):
    ContainerSpec.objects.filter(service__slug="prediction-engine").delete()
    response = viewer.get("/catalogue/prediction-engine/artefacts/dockerfile/")
    assert response.status_code == 409
    assert "has no container spec" in response.content.decode()


@pytest.mark.parametrize("given,expected", [
    ("dr-lucy.compose.yml", "dr-lucy.compose.yml"),
    ("../../etc/passwd", "passwd"),
    ('evil"; filename="x.sh', "evil-filename-x.sh"),
    ("..", "artefact.txt"),
    ("C:\\temp\\a b.yaml", "a-b.yaml"),
])
def test_file_names_are_made_safe(given, expected):
    assert safe_filename(given) == expected
