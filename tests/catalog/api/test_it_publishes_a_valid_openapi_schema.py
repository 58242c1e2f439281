"""/api/v1/openapi.json is a valid OpenAPI document naming every endpoint and its parameters."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

EXPECTED = {
    ("get", "/api/v1/services"): {"category", "status", "owner", "level", "q", "include_orphaned", "limit", "offset"},
    ("get", "/api/v1/services/{slug}"): {"slug"},
    ("get", "/api/v1/services/{slug}/compliance"): {"slug"},
    ("get", "/api/v1/compliance"): set(),
    ("get", "/api/v1/services/{slug}/artefacts/{kind}"): {"slug", "kind"},
    ("get", "/api/v1/artefacts/{kind}"): {"kind"},
    ("post", "/api/v1/catalog/import"): {"source", "adopt", "dry_run", "filename"},
    ("get", "/api/v1/catalog/export"): set(),
}


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_it_is_valid_openapi(schema):
    validate(schema)


def test_it_names_every_endpoint_with_its_parameters(schema):
    for (method, path), parameters in EXPECTED.items():
        operation = schema["paths"][path][method]
        assert {p["name"] for p in operation.get("parameters", [])} == parameters, path


def test_it_lists_the_allowed_filter_values(schema):
    assert schema["components"]["schemas"]["ContainerStatus"]["enum"] == [
        "containerised", "needs_containerisation", "integration_needed"]


def test_it_takes_the_import_as_yaml_or_a_file(schema):
    body = schema["paths"]["/api/v1/catalog/import"]["post"]["requestBody"]["content"]
    assert {"application/yaml", "text/plain", "multipart/form-data"} <= set(body)


def test_it_serves_interactive_docs_from_this_server(api, client):
    assert client.get("/api/v1/docs").status_code == 302  # signed-in users only
    response = api.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    # DESIGN.md: front-end libraries are served by us, never from a CDN ("ninja" in INSTALLED_APPS).
    assert b"cdn.jsdelivr.net" not in response.content
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
