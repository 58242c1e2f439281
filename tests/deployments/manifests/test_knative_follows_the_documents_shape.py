"""The Cloud Run service has the shape of the document's cloud-run-visionspace.yaml."""

from __future__ import annotations

import pytest
import yaml

from apps.deployments.manifests.knative import knative_render
from apps.deployments.manifests.names import ArtefactError

from .tools import make_service


def _hub(fleet):
    return yaml.safe_load(knative_render(service=next(s for s in fleet if s.slug == "visionspace-automation-hub")))


def test_the_hub_scales_from_1_to_100_with_string_annotations(fleet):
    annotations = _hub(fleet)["spec"]["template"]["metadata"]["annotations"]
    assert annotations["autoscaling.knative.dev/minScale"] == "1"
    assert annotations["autoscaling.knative.dev/maxScale"] == "100"
    assert all(isinstance(value, str) for value in annotations.values())


def test_cloud_run_annotations_go_where_cloud_run_reads_them(fleet):
    document = _hub(fleet)
    template = document["spec"]["template"]["metadata"]["annotations"]
    assert template["run.googleapis.com/cpu-throttling"] == "false"
    assert template["run.googleapis.com/execution-environment"] == "gen2"
    service = make_service("app", cloud_run_annotations={"run.googleapis.com/ingress": "internal"})
    assert yaml.safe_load(knative_render(service=service))["metadata"]["annotations"]["run.googleapis.com/ingress"] == "internal"


def test_the_hub_container_has_limits_one_port_and_its_environment(fleet):
    document = _hub(fleet)
    spec = document["spec"]["template"]["spec"]
    container = spec["containers"][0]
    assert document["metadata"]["name"] == "visionspace-automation-hub"
    assert container["image"] == "gcr.io/api-for-warp-drive/visionspace:latest"
    assert container["ports"] == [{"containerPort": 8080}]  # the catalogue has 8080 and 8081: Cloud Run takes one
    assert container["resources"]["limits"] == {"cpu": "2", "memory": "4Gi"}
    assert {"name": "VISIONSPACE_ENABLED", "value": "true"} in container["env"]
    assert spec["containerConcurrency"] == 80
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": 8080}
    assert container["startupProbe"]["httpGet"] == {"path": "/readyz", "port": 8080}


def test_secrets_are_secret_manager_references(fleet):
    daily = next(s for s in fleet if s.slug == "daily-video-automation")
    env = yaml.safe_load(knative_render(service=daily))["spec"]["template"]["spec"]["containers"][0]["env"]
    secret = next(e for e in env if e["name"] == "DAILY_API_KEY")
    assert "value" not in secret
    ref = secret["valueFrom"]["secretKeyRef"]
    assert ref["name"].startswith("daily-api-key-") and ref["key"] == "latest"


def test_a_port_variable_equal_to_the_main_port_is_left_to_cloud_run():
    env = yaml.safe_load(knative_render(service=make_service("app", env={"PORT": "8080", "A": "1"})))
    assert env["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]


@pytest.mark.parametrize(
    ("container", "message"),
    [
        ({"env": {"PORT": "9000"}}, "PORT=9000 differs from the main port 8080"),
        ({"env": {"K_SERVICE": "x"}}, "Cloud Run sets K_SERVICE itself"),
        ({"ports": [9090]}, "Knative keeps port 9090 for itself"),
        ({"cloud_run_annotations": {"autoscaling.knative.dev/maxScale": "5"}}, "scaling comes from min/max instances"),
        ({"cloud_run_annotations": {"run.googleapis.com/x\ny": "5"}}, "is not a run.googleapis.com/<name> key"),
        ({"cloud_run_annotations": ["gen2"]}, "must be a mapping"),
        ({"concurrency": 0}, "concurrency 0 must be a whole number from 1 to 1000"),
    ],
)
def test_it_refuses_what_cloud_run_would_refuse_with_a_clear_message(container, message):
    with pytest.raises(ArtefactError, match=message.replace("(", r"\(").replace(")", r"\)")):
        knative_render(service=make_service("app", **container))
