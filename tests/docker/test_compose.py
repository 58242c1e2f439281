"""docker/compose.yaml, checked by the real Compose v2 binary and then by what it resolves."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from .tools import COMPOSE_FILE, DOCKER, ROOT, compose, isolated_env

APP_SERVICES = {"web", "worker", "beat", "migrate"}
SECRET_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "REDIS_PASSWORD", "POSTGRES_PASSWORD", "METRICS_TOKEN"}
# PostgreSQL releases are major.minor (16.4 is exact); Redis has a patch number.
EXACT_VERSION_TAG = re.compile(r"^[^:@\s]+:\d+\.\d+(\.\d+)?(-[\w.-]+)?$")


def run_compose(compose_file: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [compose(), "-f", str(compose_file), *args],
        capture_output=True, text=True, cwd=tmp_path, env=isolated_env(tmp_path), timeout=60,
    )


@pytest.fixture
def resolved(tmp_path) -> dict:
    """The project as Compose itself reads it: anchors merged, variables interpolated."""
    result = run_compose(COMPOSE_FILE, tmp_path, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_passes_compose_config(tmp_path):
    result = run_compose(COMPOSE_FILE, tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", f"compose warned: {result.stderr}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("replicas: 2", "replica: 2", "additional properties 'replica' not allowed"),
        ("condition: service_completed_successfully", "condition: service_finished", "must be one of"),
        ("\n    - database_url\n", "\n    - databse_url\n", "undefined secret databse_url"),
        ("image: redis:7.2.5-alpine", "image: [redis", "yaml"),
    ],
    ids=["typo-in-deploy", "unknown-condition", "undefined-secret", "yaml-syntax"],
)
def test_a_broken_copy_fails_with_a_message(tmp_path, old, new, message):
    text = COMPOSE_FILE.read_text()
    assert old in text, f"the mutation no longer applies: {old!r} is not in compose.yaml"
    broken = tmp_path / "compose.yaml"
    broken.write_text(text.replace(old, new, 1))
    result = run_compose(broken, tmp_path, "config", "-q")
    assert result.returncode != 0, "Compose accepted a broken file: is this the wrapper script rather than the binary?"
    assert message in result.stderr, result.stderr


def test_it_has_every_process_and_backing_service():
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    assert {"web", "worker", "beat", "migrate", "redis", "postgres"} <= set(services)


def test_app_services_run_the_image_built_from_docker_dockerfile(resolved):
    for name in APP_SERVICES:
        service = resolved["services"][name]
        assert Path(service["build"]["context"]) == ROOT, name
        assert service["build"]["dockerfile"] == "docker/Dockerfile", name
    commands = {name: resolved["services"][name]["command"][0] for name in APP_SERVICES}
    assert commands == {name: name for name in APP_SERVICES}


def test_no_secret_is_written_in_plain_text(resolved):
    for name, service in resolved["services"].items():
        environment = service.get("environment") or {}
        plain = SECRET_VARIABLES & set(environment)
        assert not plain, f"{name} sets {sorted(plain)} in plain text; use NAME_FILE and a compose secret"
        mounted = {secret["target"] for secret in service.get("secrets", [])}
        for key, value in environment.items():
            if key.endswith("_FILE"):
                assert value in mounted, f"{name}: {key}={value} is not one of its secrets {sorted(mounted)}"
        for value in environment.values():
            assert not re.search(r"://[^/\s:@]+:[^/\s@]+@", value or ""), f"{name}: a URL with a password: {value}"


def test_secrets_come_from_files_that_git_ignores(resolved):
    for name, secret in resolved["secrets"].items():
        path = Path(secret["file"])
        assert path.parent == DOCKER / "secrets", f"secret {name} is read from {path}"
        ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT)
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_the_app_runs_in_production_mode(resolved):
    for name in APP_SERVICES:
        environment = resolved["services"][name]["environment"]
        assert environment["VISIONSPACE_MODE"] == "production"
        assert environment["SECRET_KEY_FILE"] == "/run/secrets/secret_key"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["ALLOWED_HOSTS"]
        assert environment["SECURE_SSL_REDIRECT"] == "false"


def test_processes_start_only_after_migrate_has_completed(resolved):
    services = resolved["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_redis_postgres_and_web_have_healthchecks(resolved):
    for name in ("redis", "postgres", "web"):
        healthcheck = resolved["services"][name].get("healthcheck", {})
        assert healthcheck.get("test") and not healthcheck.get("disable"), name
    assert "/app/docker/healthcheck.py" in resolved["services"]["web"]["healthcheck"]["test"]


def test_backing_images_are_pinned(resolved):
    for name in ("redis", "postgres"):
        image = resolved["services"][name]["image"]
        assert EXACT_VERSION_TAG.match(image), f"{name}: {image} is not pinned to an exact version"


def test_workers_are_replicated_and_beat_is_single(resolved):
    assert resolved["services"]["worker"]["deploy"]["replicas"] >= 2
    assert resolved["services"]["beat"]["deploy"]["replicas"] == 1


def test_every_service_has_a_restart_policy_and_resource_limits(resolved):
    for name, service in resolved["services"].items():
        assert service.get("restart"), f"{name} has no restart policy"
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert limits.get("cpus") and limits.get("memory"), f"{name} has no cpu/memory limits"


def test_datastores_are_not_published(resolved):
    for name in ("redis", "postgres"):
        assert not resolved["services"][name].get("ports"), f"{name} publishes a port"
    assert resolved["networks"]["backend"]["internal"] is True
