"""POST /api/v1/catalog/import: Backstage YAML as the body or a file; staff only; 422 with the report on errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog.models import ContainerSpec, Service

pytestmark = pytest.mark.django_db

COMPONENT = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api-imported
  description: Came in through the REST API
  annotations:
    visionspace.io/category: vls
    visionspace.io/image: gcr.io/example-org/api-imported
    visionspace.io/ports: "8080"
    visionspace.io/secret-refs: '[{"env": "TOKEN", "key": "api/token"}]'
spec:
  type: service
  lifecycle: production
  owner: group:api
"""

DANGLING = COMPONENT + "  dependsOn:\n    - resource:not-anywhere\n"


def import_yaml(client, text: str, query: str = "", content_type: str = "application/yaml"):
    return client.post(f"/api/v1/catalog/import{query}", text, content_type=content_type)


def test_it_imports_yaml_sent_as_the_body(staff_api):
    response = import_yaml(staff_api, COMPONENT, "?source=git:example-org/api")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["created"], report["applied"], report["errors"]) == (1, True, [])
    assert report["changes"] == [{"entity": "component:default/api-imported", "action": "created"}]
    service = Service.objects.get(slug="api-imported")
    assert (service.source, service.purpose) == ("git:example-org/api", "Came in through the REST API")
    assert ContainerSpec.objects.get(service=service).ports == [8080]


def test_it_imports_a_multipart_file_named_after_the_upload(staff_api):
    upload = SimpleUploadedFile("team.yaml", COMPONENT.encode(), content_type="application/yaml")
    response = staff_api.post("/api/v1/catalog/import", {"file": upload})
    assert response.status_code == 200, response.content
    assert response.json()["source"] == "upload:team.yaml"
    assert Service.objects.get(slug="api-imported").source == "upload:team.yaml"


def test_it_accepts_text_plain(staff_api):
    assert import_yaml(staff_api, COMPONENT, content_type="text/plain").status_code == 200


def test_a_dry_run_reports_and_changes_nothing(staff_api):
    response = import_yaml(staff_api, COMPONENT, "?dry_run=true")
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["applied"], response.json()["dry_run"]) == (1, False, True)
    assert not Service.objects.filter(slug="api-imported").exists()


def test_it_answers_422_with_every_problem_and_applies_nothing(staff_api):
    response = import_yaml(staff_api, DANGLING)
    assert response.status_code == 422
    report = response.json()
    assert report["applied"] is False
    [problem] = report["errors"]
    assert problem["document"] == 1 and problem["entity"] == "component:default/api-imported"
    assert problem["field"].startswith("spec.dependsOn") and "not-anywhere" in problem["message"]
    assert not Service.objects.filter(slug="api-imported").exists()


def test_it_reports_yaml_syntax_errors_as_422(staff_api):
    response = import_yaml(staff_api, "kind: [unclosed")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"]


def test_it_refuses_a_non_staff_user_with_403(api):
    response = import_yaml(api, COMPONENT)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your role does not allow this (import_catalog); ask an admin for a role that does."}
    assert not Service.objects.filter(slug="api-imported").exists()


def test_it_refuses_other_content_types_with_415(staff_api):
    response = staff_api.post("/api/v1/catalog/import", {"yaml": COMPONENT}, content_type="application/json")
    assert response.status_code == 415
    assert "application/yaml" in response.json()["detail"]
