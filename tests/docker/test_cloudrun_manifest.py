"""docker/cloudrun/*.yaml against docker/schemas/knative-service.schema.json."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml

from .tools import CLOUDRUN, KNATIVE_SCHEMA

WEB = CLOUDRUN / "web.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(KNATIVE_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def load(path=WEB) -> dict:
    return yaml.safe_load(path.read_text())


def errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_schema_is_draft_2020_12():
    schema = json.loads(KNATIVE_SCHEMA.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted(CLOUDRUN.glob("*.yaml")), ids=lambda p: p.name)
def test_every_cloud_run_manifest_validates(validator, path):
    assert errors(validator, load(path)) == []


def _container(doc):
    return doc["spec"]["template"]["spec"]["containers"][0]


def _template_annotations(doc):
    return doc["spec"]["template"]["metadata"]["annotations"]


def _rename_ports(doc):
    _container(doc)["containerPorts"] = _container(doc).pop("ports")


def _numeric_min_scale(doc):
    _template_annotations(doc)["autoscaling.knative.dev/minScale"] = 1


def _boolean_cpu_throttling(doc):
    _template_annotations(doc)["run.googleapis.com/cpu-throttling"] = False


def _numeric_memory_limit(doc):
    _container(doc)["resources"]["limits"]["memory"] = 2048


def _string_port(doc):
    _container(doc)["ports"][0]["containerPort"] = "8000"


def _unknown_port_name(doc):
    _container(doc)["ports"][0]["name"] = "http"


def _string_timeout(doc):
    doc["spec"]["template"]["spec"]["timeoutSeconds"] = "3600"


def _timeout_beyond_cloud_run(doc):
    doc["spec"]["template"]["spec"]["timeoutSeconds"] = 7200


def _numeric_env_value(doc):
    _container(doc)["env"][0]["value"] = 1


def _reserved_port_variable(doc):
    _container(doc)["env"].append({"name": "PORT", "value": "8000"})


def _secret_without_version(doc):
    ref = next(e for e in _container(doc)["env"] if "valueFrom" in e)["valueFrom"]["secretKeyRef"]
    del ref["key"]


def _misspelt_probe_field(doc):
    _container(doc)["livenessProbe"]["httpget"] = _container(doc)["livenessProbe"].pop("httpGet")


def _wrong_api_version(doc):
    doc["apiVersion"] = "serving.knative.dev/v1alpha1"


MUTATIONS = [
    (_rename_ports, "'containerPorts' was unexpected"),
    (_numeric_min_scale, "1 is not of type 'string'"),
    (_boolean_cpu_throttling, "False is not of type 'string'"),
    (_numeric_memory_limit, "2048 is not of type 'string'"),
    (_string_port, "'8000' is not of type 'integer'"),
    (_unknown_port_name, "'http' is not one of"),
    (_string_timeout, "'3600' is not of type 'integer'"),
    (_timeout_beyond_cloud_run, "greater than the maximum of 3600"),
    (_numeric_env_value, "1 is not of type 'string'"),
    (_reserved_port_variable, "'PORT' should not be valid"),
    (_secret_without_version, "'key' is a required property"),
    (_misspelt_probe_field, "'httpget' was unexpected"),
    (_wrong_api_version, "'serving.knative.dev/v1' was expected"),
]


@pytest.mark.parametrize(("mutate", "expected"), [pytest.param(*m, id=m[0].__name__.lstrip("_")) for m in MUTATIONS])
def test_a_mutated_copy_fails_validation(validator, mutate, expected):
    document = copy.deepcopy(load())
    assert errors(validator, document) == []
    mutate(document)
    found = errors(validator, document)
    assert any(expected in error for error in found), f"{mutate.__name__}: expected {expected!r}, got {found}"


def test_the_web_service_is_shaped_for_websockets():
    doc = load()
    template = doc["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    assert annotations["run.googleapis.com/execution-environment"] == "gen2"
    assert annotations["run.googleapis.com/cpu-throttling"] == "false"
    assert annotations["run.googleapis.com/sessionAffinity"] == "true"
    assert int(annotations["autoscaling.knative.dev/minScale"]) >= 1
    assert int(annotations["autoscaling.knative.dev/maxScale"]) >= int(annotations["autoscaling.knative.dev/minScale"])
    assert template["spec"]["timeoutSeconds"] == 3600
    assert template["spec"]["containerConcurrency"] > 0


def test_the_web_container_runs_the_web_role_on_8000():
    container = _container(load())
    assert container["args"] == ["web"]
    assert container["ports"] == [{"name": "http1", "containerPort": 8000}]
    image = container["image"]
    assert ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"), f"pin the image: {image}"
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])


def test_the_web_container_probes_healthz():
    container = _container(load())
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz", probe
        assert container[probe]["httpGet"]["port"] == 8000, probe


def test_secrets_come_from_secret_manager():
    env = {e["name"]: e for e in _container(load())["env"]}
    assert env["VISIONSPACE_MODE"]["value"] == "production"
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        assert "value" not in env[name], f"{name} is written in the manifest"
        assert env[name]["valueFrom"]["secretKeyRef"]["name"], name
