"""The workflow validates against the GitHub workflow schema that check-jsonschema vendors (offline)."""

from __future__ import annotations

from apps.deployments.manifests.workflow import workflow_render

from .tools import HOSTILE_SLUGS, check_jsonschema, make_service

SCHEMAS = ("vendor.github-workflows", "custom.github-workflows-require-timeout")


def test_the_fleet_workflow_validates(fleet, tmp_path):
    path = tmp_path / "container-updates.yml"
    path.write_text(workflow_render(services=fleet), encoding="utf-8")
    result = check_jsonschema(path, *SCHEMAS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_workflow_from_hostile_slugs_validates(tmp_path):
    path = tmp_path / "container-updates.yml"
    path.write_text(workflow_render(services=[make_service(slug) for slug in HOSTILE_SLUGS]), encoding="utf-8")
    result = check_jsonschema(path, *SCHEMAS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_rejects_a_broken_workflow(fleet, tmp_path):
    path = tmp_path / "container-updates.yml"
    path.write_text(workflow_render(services=fleet).replace("runs-on:", "runs_on:"), encoding="utf-8")
    result = check_jsonschema(path, "vendor.github-workflows")
    assert result.returncode != 0
    assert "runs_on" in result.stdout + result.stderr
