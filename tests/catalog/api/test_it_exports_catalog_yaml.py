"""GET /api/v1/catalog/export: the whole catalogue as Backstage catalog-info YAML."""

import pytest
import yaml

pytestmark = pytest.mark.usefixtures("seeded")


def test_it_exports_every_entity_as_yaml(api):
    response = api.get("/api/v1/catalog/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="catalog-info.yaml"'
    documents = [doc for doc in yaml.safe_load_all(response.content) if doc]
    names = {(doc["kind"], doc["metadata"]["name"]) for doc in documents}
    assert ("Component", "visionspace-automation-hub") in names and ("System", "vls-solutions") in names
    assert len(documents) == 22 + 3


def test_what_it_exports_imports_back_unchanged(api, staff_api):
    exported = api.get("/api/v1/catalog/export").content.decode()
    response = staff_api.post("/api/v1/catalog/import?source=seed:containerization-master-strategy.md", exported,
                              content_type="application/yaml")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["created"], report["updated"], report["orphaned"]) == (0, 0, 0)
    assert report["unchanged"] == 25
