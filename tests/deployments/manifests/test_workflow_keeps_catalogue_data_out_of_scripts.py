"""No catalogue value reaches a shell script or creates a key, a step or a job."""

from __future__ import annotations

import pytest
import yaml

from apps.deployments.manifests.names import ArtefactError
from apps.deployments.manifests.workflow import RUN_SCRIPTS, workflow_render

from .tools import HOSTILE, HOSTILE_SLUGS, make_service

SHAPE = ["uses", "Authenticate to Google Cloud", "Build", "Scan for HIGH and CRITICAL vulnerabilities", "Push",
         "Deploy to Cloud Run"]


def _workflow(services) -> dict:
    return yaml.safe_load(workflow_render(services=services))


def _steps(workflow: dict) -> list[dict]:
    return workflow["jobs"]["build-and-deploy"]["steps"]


def test_the_fleet_workflow_has_the_documents_shape(fleet):
    workflow = _workflow(fleet)
    assert workflow["name"] == "Container Updates"
    assert set(workflow) == {"name", "on", "permissions", "jobs"}
    assert list(workflow["jobs"]) == ["build-and-deploy"]
    job = workflow["jobs"]["build-and-deploy"]
    assert job["runs-on"] == "ubuntu-latest"
    assert [s.get("name", "uses") for s in _steps(workflow)] == SHAPE
    assert _steps(workflow)[0]["uses"].startswith("actions/checkout@")
    matrix = job["strategy"]["matrix"]["include"]
    assert len(matrix) == 22
    hub = next(e for e in matrix if e["service"] == "visionspace-automation-hub")
    assert hub["image"] == "gcr.io/api-for-warp-drive/visionspace" and hub["regions"] == "us-west1"
    assert set(workflow["on"]["push"]["paths"]) >= {"vls/solutions/dr-lucy-flight-memory/**",
                                                    "diamond-cli/diamond-solutions-menu/**"}


def test_builds_are_scanned_and_fail_on_high_and_critical_before_they_are_pushed(fleet):
    steps = _steps(_workflow(fleet))
    scan = next(s for s in steps if s.get("uses", "").startswith("aquasecurity/trivy-action@"))
    ref = scan["uses"].split("@", 1)[1]
    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), "pin the scanner to a commit"
    assert scan["with"]["severity"] == "HIGH,CRITICAL" and scan["with"]["exit-code"] == "1"
    names = [s.get("name") for s in steps]
    assert names.index(scan["name"]) < names.index("Push")


def test_deploys_go_to_each_region_by_commit_tag(fleet):
    deploy = next(s for s in _steps(_workflow(fleet)) if s.get("name") == "Deploy to Cloud Run")
    assert 'gcloud run deploy "$SERVICE" --image "$IMAGE:$GITHUB_SHA" --region "$region"' in deploy["run"]
    assert deploy["env"]["REGIONS"] == "${{ matrix.regions }}"
    assert ":latest" not in workflow_render(services=fleet)


@pytest.mark.parametrize("hostile", HOSTILE_SLUGS + HOSTILE)
def test_a_hostile_slug_or_name_changes_no_script_key_or_step(hostile):
    plain = _workflow([make_service("plain")])
    workflow = _workflow([make_service(hostile, name=hostile)])
    assert [s.get("run") for s in _steps(workflow) if "run" in s] == list(RUN_SCRIPTS)
    assert _steps(workflow) == _steps(plain)
    assert set(workflow) == set(plain) and set(workflow["jobs"]) == set(plain["jobs"])
    (entry,) = workflow["jobs"]["build-and-deploy"]["strategy"]["matrix"]["include"]
    assert set(entry) == {"service", "image", "registry", "context", "regions"}
    for value in entry.values():
        assert not set(value) & set("$`'\"{}\n\r\t #&*!|><;"), value


def test_scripts_read_catalogue_values_only_from_quoted_variables():
    for script in RUN_SCRIPTS:
        assert "${{" not in script
    for variable in ("$IMAGE", "$CONTEXT", "$REGISTRY", "$SERVICE"):
        for script in RUN_SCRIPTS:
            assert script.count(variable) == script.count(f'"{variable}')


@pytest.mark.parametrize(
    ("container", "annotations", "message"),
    [
        ({"image": "gcr.io/x/y${{ secrets.TOKEN }}"}, {}, "is not a repository name"),
        ({"image": "gcr.io/x/y\nrun: id"}, {}, "is not a repository name"),
        ({"regions": ["us-west1; curl evil"]}, {}, "must be Cloud Run region names"),
        ({"regions": "us-west1"}, {}, "must be Cloud Run region names"),
        ({}, {"visionspace.io/build-context": "../outside"}, "without '..'"),
        ({}, {"visionspace.io/build-context": "dir/$(id)"}, "must be a relative directory"),
    ],
)
def test_values_that_would_reach_github_must_follow_their_grammar(container, annotations, message):
    with pytest.raises(ArtefactError, match=message.replace("(", r"\(").replace(")", r"\)")):
        workflow_render(services=[make_service("app", annotations=annotations, **container)])


def test_a_build_context_annotation_is_used_as_is():
    service = make_service("app", annotations={"visionspace.io/build-context": "vision-space/"})
    workflow = _workflow([service])
    assert workflow["jobs"]["build-and-deploy"]["strategy"]["matrix"]["include"][0]["context"] == "vision-space"
    assert workflow["on"]["push"]["paths"] == ["vision-space/**"]
