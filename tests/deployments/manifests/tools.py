"""Helpers for the artefact tests: the real tools they call, and services built in memory.

A missing tool is a failure with instructions, never a skip.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from apps.catalog.models import ContainerSpec, Service
from tests.support.tools import INSTALL_HINT, compose_binary, isolated_env

ROOT = Path(__file__).resolve().parents[3]
KNATIVE_SCHEMA = ROOT / "docker" / "schemas" / "knative-service.schema.json"

# Strings that break naive YAML, shell, Compose or GitHub Actions output.
HOSTILE = [
    "$(touch /tmp/pwned)", "`id`", "${HOME}", "$HOME", "$$", "$", "a$b", "${{ secrets.GITHUB_TOKEN }}",
    "'single' \"double\"", "line1\nline2", "ends in a newline\n", "two\n\n", "\r\n", "\ttab",
    " leading and trailing ", "", "&anchor value", "*alias", "<<: *x", "key: value", "a:", "# not a comment",
    "- item", "[flow, seq]", "{flow: map}", "!!python/object/apply:os.system ['id']", "%TAG ! tag:", "---", "...",
    "|", ">", "@at", "0o17", "1e3", "0x1F", "1_000", "12:30", "yes", "on", "No", "null", "~", "True", ".inf",
    "\\backslash\\", "\x07bell", "\x1b[31mred", "ünïcödé ✓ 🚀", "\u2028line separator", "\x85next line",
    "\ufeffbom", "x" * 3000,
]

# Slugs that are not valid Backstage names (the model validator is skipped by .save()).
HOSTILE_SLUGS = [
    "../../etc/passwd", "a\nb: c", "${{ github.token }}", "$(rm -rf /)", "UPPER_case.dots", "9lives", "-leading",
    "x" * 200, "ünï", "&a", "*b", "<<", "", "a b", "diamondSolutionsMenu", "diamond-solutions-menu",
]


def make_service(slug: str = "svc", *, name: str = "A service", category: str = "integration",
                 annotations: dict | None = None, **container) -> Service:
    """An unsaved Service with its ContainerSpec attached (``service.container`` works without a database)."""
    service = Service(slug=slug, name=name, purpose="test", category=category, status="containerised",
                      owner="group:test", annotations=annotations or {})
    fields = {"image": "gcr.io/example/svc", "tag": "1.0.0", "ports": [8080], "regions": ["us-west1"], **container}
    ContainerSpec(service=service, **fields)
    return service


def compose(text: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "compose.yml"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([compose_binary(), "-f", str(path), *args], capture_output=True, text=True,
                          cwd=tmp_path, env=isolated_env(tmp_path), timeout=60)


def compose_resolved(text: str, tmp_path: Path) -> dict:
    """The project as Compose reads it. Its output writes a literal ``$`` as ``$$`` again; undo that."""
    result = compose(text, tmp_path, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.replace("$$", "$"))


def knative_validator() -> jsonschema.Draft202012Validator:
    if not KNATIVE_SCHEMA.exists():
        pytest.fail(f"The Knative schema is missing at {KNATIVE_SCHEMA}; it comes with docker/ in this repository.")
    schema = json.loads(KNATIVE_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator: jsonschema.Draft202012Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def check_jsonschema(path: Path, *schemas: str) -> subprocess.CompletedProcess:
    """check-jsonschema against its vendored (offline) schemas, e.g. ``vendor.github-workflows``."""
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail(f"The check-jsonschema package is not installed (it vendors the GitHub workflow schema). {INSTALL_HINT}")
    args = [arg for schema in schemas for arg in ("--builtin-schema", schema)]
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args, str(path)],
                          capture_output=True, text=True, timeout=120)
