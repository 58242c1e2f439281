"""Where the docker/ files live, and the linters the tests call (tests/support/tools.py)."""

from __future__ import annotations

from pathlib import Path

from tests.support.tools import INSTALL_HINT, isolated_env  # noqa: F401  (re-exported for the docker tests)
from tests.support.tools import compose_binary as compose  # noqa: F401
from tests.support.tools import hadolint_binary as hadolint  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
DOCKERFILE = DOCKER / "Dockerfile"
COMPOSE_FILE = DOCKER / "compose.yaml"
CLOUDRUN = DOCKER / "cloudrun"
KNATIVE_SCHEMA = DOCKER / "schemas" / "knative-service.schema.json"
