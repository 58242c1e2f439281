"""Knative/Cloud Run services validate against docker/schemas/knative-service.schema.json."""

from __future__ import annotations

import yaml

from apps.deployments.manifests.knative import knative_render, knative_render_fleet

from .tools import (
    HOSTILE,
    HOSTILE_SLUGS,
    knative_validator,
    make_service,
    schema_errors,
)


def test_every_service_of_the_fleet_validates(fleet):
    validator = knative_validator()
    documents = list(yaml.safe_load_all(knative_render_fleet(services=fleet)))
    assert len(documents) == 22
    for document in documents:
        assert schema_errors(validator, document) == [], document["metadata"]["name"]


def test_a_service_full_of_hostile_strings_validates_and_keeps_them():
    env = {f"VALUE_{i}": value for i, value in enumerate(HOSTILE)}
    service = make_service(
        "hostile", env=env, secret_refs=[{"env": "TOKEN", "key": "../../$(id)/key"}],
        cloud_run_annotations={"run.googleapis.com/description": "\n".join(HOSTILE[:10]),
                               "run.googleapis.com/cpu-throttling": False},
    )
    document = yaml.safe_load(knative_render(service=service))
    assert schema_errors(knative_validator(), document) == []
    container = document["spec"]["template"]["spec"]["containers"][0]
    assert {e["name"]: e["value"] for e in container["env"] if "value" in e} == env
    assert document["metadata"]["annotations"]["run.googleapis.com/description"] == "\n".join(HOSTILE[:10])


def test_hostile_slugs_give_valid_service_names():
    validator = knative_validator()
    for slug in HOSTILE_SLUGS:
        document = yaml.safe_load(knative_render(service=make_service(slug)))
        assert schema_errors(validator, document) == [], slug
        assert document["metadata"]["annotations"]["visionspace.io/service"] == slug


def test_the_checker_rejects_what_cloud_run_would_reject():
    document = yaml.safe_load(knative_render(service=make_service("app", ports=[8080, 8081])))
    document["spec"]["template"]["spec"]["containers"][0]["ports"].append({"containerPort": 8081})
    assert any("is too long" in error for error in schema_errors(knative_validator(), document))
