"""References resolve within the file or to the catalogue, with Backstage's default kinds, or are errors."""

import pytest

from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import Relation, Service
from apps.catalog.services import catalog_seed

pytestmark = pytest.mark.django_db


def component(name: str, spec: str = "", kind: str = "Component") -> str:
    return (f"---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
            f"spec:\n  type: service\n  lifecycle: production\n  owner: group:ops\n{spec}")


def errors(text: str, **kwargs) -> list[tuple[str, str]]:
    report = catalog_import_text(text=text, source=kwargs.pop("source", "repo:refs"), **kwargs)
    return [(e.field, e.message) for e in report.errors]


def test_it_resolves_references_to_entities_already_in_the_catalogue():
    catalog_seed()
    text = component("seed-consumer", "  system: visionspace-platform\n  dependsOn:\n"
                                      "    - component:universal-ai-key-manager\n"
                                      "    - Component:Default/PipeCat-Voice-Processing\n")
    assert errors(text) == []
    service = Service.objects.get(slug="seed-consumer")
    assert service.system.slug == "visionspace-platform"
    assert set(service.relations_out.values_list("target__slug", flat=True)) == {
        "universal-ai-key-manager", "pipecat-voice-processing"}


def test_a_dangling_reference_is_an_error_that_names_it():
    text = component("orders", "  dependsOn:\n    - component:nowhere\n  providesApis:\n    - orders-api\n")
    assert errors(text) == [
        ("spec.dependsOn[0]", "component:default/nowhere is neither in this file nor in the catalogue; add it, or fix "
                           "the reference."),
        ("spec.providesApis[0]", "api:default/orders-api is neither in this file nor in the catalogue; add it, or fix "
                              "the reference."),
    ]
    assert not Service.objects.exists()


def test_depends_on_needs_a_kind_as_in_backstage():
    text = component("a") + component("b", "  dependsOn:\n    - a\n")
    assert errors(text) == [("spec.dependsOn[0]", "'a' needs a kind here, e.g. 'component:a' or 'resource:a'")]


def test_a_reference_to_the_wrong_kind_says_what_the_entity_is():
    text = component("worker") + component("web", "  consumesApis:\n    - api:worker\n  system: component:worker\n")
    found = dict(errors(text))
    assert found["spec.consumesApis[0]"] == ("api:default/worker is a Component in document 1 of this file; "
                                          "refer to it as component:worker.")
    assert "here VisionSpace accepts system references" in found["spec.system"]


def test_it_refuses_other_namespaces_and_malformed_references():
    text = component("a", "  dependsOn:\n    - component:team-b/x\n    - 'component:'\n    - ':/'\n")
    text += "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n  namespace: team-b\n"
    text += "spec:\n  type: service\n  lifecycle: production\n  owner: group:ops\n"
    found = errors(text)
    assert ("spec.dependsOn[0]", "'component:team-b/x' is in namespace 'team-b'; VisionSpace has one namespace, "
                                 "'default' — drop the namespace part") in found
    assert ("spec.dependsOn[1]", "'component:' is not on the form [kind:][namespace/]name") in found
    assert ("spec.dependsOn[2]", "':/' is not on the form [kind:][namespace/]name") in found
    assert ("metadata.namespace", "'team-b': VisionSpace has one namespace, 'default'; remove metadata.namespace"
            ) in found


def test_an_entity_cannot_depend_on_itself():
    assert errors(component("narcissus", "  dependsOn:\n    - component:narcissus\n")) == [
        ("spec.dependsOn[0]", "component:default/narcissus cannot refer to itself (component:default/narcissus)")]


def test_subcomponent_of_and_dependency_of_must_resolve_but_are_kept_as_written():
    text = component("engine") + component("engine-part", "  subcomponentOf: engine\n  dependencyOf:\n"
                                                         "    - component:ghost\n")
    assert errors(text) == [("spec.dependencyOf[0]", "component:default/ghost is neither in this file nor in the "
                                                  "catalogue; add it, or fix the reference.")]
    fixed = text.replace("component:ghost", "component:engine")
    assert errors(fixed) == []
    extras = Service.objects.get(slug="engine-part").annotations["@backstage"]["spec"]
    assert extras == {"subcomponentOf": "engine", "dependencyOf": ["component:engine"]}
    assert not Relation.objects.exists()
