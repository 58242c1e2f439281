"""Kubernetes objects validate (strictly: no unknown fields) against Kubernetes' own schemas."""

from __future__ import annotations

import re

import kubernetes_validate
import pytest
import yaml

from apps.deployments.manifests.kubernetes import (
    kubernetes_render,
    kubernetes_render_fleet,
)

from .tools import HOSTILE, HOSTILE_SLUGS, make_service

# The oldest release still in wide use and the newest that kubernetes-validate ships.
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]
DNS_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


def _validate(text: str, version: str) -> list[dict]:
    documents = list(yaml.safe_load_all(text))
    for document in documents:
        kubernetes_validate.validate(document, version, strict=True)
        assert DNS_1035.fullmatch(document["metadata"]["name"]) and len(document["metadata"]["name"]) <= 63
    return documents


@pytest.mark.parametrize("version", VERSIONS)
def test_the_fleet_validates(fleet, version):
    documents = _validate(kubernetes_render_fleet(services=fleet), version)
    kinds = [d["kind"] for d in documents]
    assert kinds.count("Deployment") == kinds.count("Service") == kinds.count("HorizontalPodAutoscaler") == 22


@pytest.mark.parametrize("version", VERSIONS)
def test_hostile_names_and_values_validate_and_survive(version):
    env = {f"VALUE_{i}": value for i, value in enumerate(HOSTILE)}
    services = [make_service(slug, env=env, secret_refs=[{"env": "TOKEN", "key": slug or "k"}]) for slug in HOSTILE_SLUGS]
    documents = _validate(kubernetes_render_fleet(services=services), version)
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    assert len(deployments) == len(HOSTILE_SLUGS)
    for deployment in deployments:
        env_out = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        assert {e["name"]: e["value"] for e in env_out if "value" in e} == env
    assert sorted(d["metadata"]["annotations"]["visionspace.io/service"] for d in deployments) == sorted(HOSTILE_SLUGS)


def test_the_validator_rejects_a_misspelt_field():
    document = next(yaml.safe_load_all(kubernetes_render(service=make_service("app"))))
    document["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsNonroot"] = True
    with pytest.raises(kubernetes_validate.ValidationError, match="'runAsNonroot' was unexpected"):
        kubernetes_validate.validate(document, VERSIONS[-1], strict=True)
