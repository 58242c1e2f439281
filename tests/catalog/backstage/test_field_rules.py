"""Field-level rules that keep the catalogue safe to show and to deploy from."""

import pytest

from apps.catalog.backstage.importer import catalog_import_documents, catalog_import_text
from apps.catalog.models import ContainerSpec, Service

pytestmark = pytest.mark.django_db


def component(annotations: str = "", metadata: str = "", spec: str = "", kind: str = "Component") -> str:
    return (f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: probe\n{metadata}"
            f"  annotations:\n    visionspace.io/category: vls\n{annotations}"
            f"spec:\n  type: service\n  lifecycle: production\n  owner: group:ops\n{spec}")


def problems(text: str) -> dict[str, str]:
    report = catalog_import_text(text=text, source="t")
    return {e.field: e.message for e in report.errors}


def test_secrets_never_travel_as_environment_values():
    found = problems(component('    visionspace.io/image: gcr.io/x/probe\n'
                               '    visionspace.io/env: \'{"MAX_TOKENS": "4096", "OPENAI_API_KEY": "sk-live"}\'\n'))
    assert "OPENAI_API_KEY looks like a secret" in found["metadata.annotations.visionspace.io/env"]
    assert "visionspace.io/secret-refs" in found["metadata.annotations.visionspace.io/env"]
    assert not ContainerSpec.objects.exists()
    assert problems(component('    visionspace.io/image: gcr.io/x/probe\n'
                              '    visionspace.io/env: \'{"MAX_TOKENS": "4096"}\'\n')) == {}


def test_annotation_values_must_be_quoted_text_as_in_backstage():
    found = problems(component("    visionspace.io/image: gcr.io/x/probe\n    visionspace.io/replicas: 2\n"))
    assert found == {"metadata.annotations.visionspace.io/replicas":
                     'annotation values are text; quote it: visionspace.io/replicas: "2"'}


def test_links_that_would_run_script_in_a_browser_are_refused():
    found = problems(component(metadata="  links:\n    - url: javascript:alert(1)\n      title: Click\n"))
    assert "takes https, http, mailto links only" in found["metadata.links[0].url"]


def test_kinds_are_case_sensitive_as_in_backstage():
    assert problems(component(kind="component")) == {
        "kind": "write 'Component', not 'component': Backstage's kinds are case-sensitive"}


def test_a_reference_must_name_an_entity():
    found = problems(component(spec="  dependsOn:\n    - component:not a name\n"))
    assert "does not name an entity" in found["spec.dependsOn[0]"]


def test_an_api_needs_its_definition_inline():
    text = component(kind="API").replace("type: service", "type: openapi")
    text += "  definition:\n    $text: ./openapi.yaml\n"
    assert "does not resolve $text/$json/$yaml placeholders" in problems(text)["spec.definition"]


def test_a_long_description_keeps_a_one_line_purpose_and_the_whole_text():
    long = "Renders storyboards. " * 20
    assert problems(component(metadata=f"  description: {long}\n")) == {}
    service = Service.objects.get(slug="probe")
    assert len(service.purpose) <= 200 and service.purpose.endswith("…")
    assert service.description == long.strip()


def test_already_parsed_documents_import_the_same_way():
    documents = [{"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "from-json"},
                  "spec": {"type": "service", "lifecycle": "production", "owner": "group:ops"}}, ["not", "one"]]
    report = catalog_import_documents(documents=documents, source="api")
    assert [(e.document, e.message) for e in report.errors] == [
        (2, "this document is a list, not a mapping: each document must be one entity with apiVersion, kind, "
            "metadata and spec.")]
    assert catalog_import_documents(documents=documents[:1], source="api").created == 1


def test_visionspace_annotations_other_apps_read_are_kept_as_they_are():
    text = component("    visionspace.io/auth: oauth2\n    visionspace.io/scan: trivy\n"
                     "    visionspace.io/build-context: services/probe\n")
    assert problems(text) == {}
    annotations = Service.objects.get(slug="probe").annotations
    assert {k: v for k, v in annotations.items() if k.startswith("visionspace.io/")} == {
        "visionspace.io/auth": "oauth2", "visionspace.io/scan": "trivy",
        "visionspace.io/build-context": "services/probe"}


def test_text_postgresql_would_refuse_is_refused_first():
    documents = [{"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
                  "metadata": {"name": "bad-text", "annotations": {"example.com/a\x00": "x"},
                               "description": "half a pair \ud800"},
                  "spec": {"type": "service", "lifecycle": "production", "owner": "group:ops"}}]
    report = catalog_import_documents(documents=documents, source="api")
    assert [e.field for e in report.errors] == ["metadata.description", "metadata.annotations"]
    assert all("NUL character" in e.message for e in report.errors)
    assert not Service.objects.exists()
