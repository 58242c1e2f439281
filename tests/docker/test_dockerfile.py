"""docker/Dockerfile, docker/entrypoint.sh, docker/healthcheck.py and .dockerignore."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .tools import DOCKER, DOCKERFILE, ROOT, hadolint, isolated_env

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|API_KEY|PRIVATE_KEY|DATABASE_URL|REDIS_URL", re.I)
EXACT_VERSION_TAG = re.compile(r"^[^:@\s]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$")


@dataclass
class Instruction:
    keyword: str
    args: str
    line: int


def instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined and comments dropped."""
    result: list[Instruction] = []
    buffer, start = "", 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not buffer and not stripped):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.partition(" ")
        result.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = ""
    return result


def stages() -> list[list[Instruction]]:
    found: list[list[Instruction]] = []
    for instruction in instructions():
        if instruction.keyword == "FROM":
            found.append([])
        found[-1].append(instruction)
    return found


def final_stage() -> list[Instruction]:
    return stages()[-1]


def env_keys(instruction: Instruction) -> list[str]:
    """Keys set by an ENV (KEY=value pairs, or the legacy 'KEY value' form) or ARG."""
    words = shlex.split(instruction.args)
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        return [words[0]]
    return [word.split("=", 1)[0] for word in words]


def run_hadolint(dockerfile: Path, tmp_path: Path) -> list[dict]:
    # cwd and HOME in tmp_path: no .hadolint.yaml anywhere can switch rules off.
    result = subprocess.run(
        [hadolint(), "-f", "json", str(dockerfile)],
        capture_output=True, text=True, cwd=tmp_path, env=isolated_env(tmp_path), timeout=60,
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"hadolint gave no JSON (exit {result.returncode}): {result.stdout!r} {result.stderr!r}")


def test_it_passes_hadolint_with_no_warnings(tmp_path):
    findings = run_hadolint(DOCKERFILE, tmp_path)
    assert findings == [], "\n".join(f"line {f['line']}: {f['code']} ({f['level']}) {f['message']}" for f in findings)


def test_hadolint_really_lints(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\n")
    codes = {finding["code"] for finding in run_hadolint(bad, tmp_path)}
    assert {"DL3007", "DL3013", "DL3042"} <= codes


def test_it_silences_no_hadolint_rule():
    assert not re.search(r"#\s*hadolint\s+(ignore|global)", DOCKERFILE.read_text(), re.I)


def test_every_from_is_pinned_to_an_exact_version():
    froms = [i for i in instructions() if i.keyword == "FROM"]
    assert len(froms) >= 2, "expected a multi-stage build"
    for instruction in froms:
        image = instruction.args.split()[0]
        assert "latest" not in image, f"line {instruction.line}: {image} uses latest"
        assert EXACT_VERSION_TAG.match(image), f"line {instruction.line}: {image} is not pinned to an exact version"


def test_the_final_stage_runs_as_a_numeric_non_root_user():
    users = [i for i in final_stage() if i.keyword == "USER"]
    assert users, "the final stage has no USER"
    uid = users[-1].args.split(":")[0]
    assert uid.isdigit(), f"USER {users[-1].args}: use a numeric UID so platforms can verify it is not root"
    assert int(uid) != 0


def test_it_checks_health_on_healthz_with_python():
    checks = [i for i in final_stage() if i.keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = json.loads(checks[0].args[checks[0].args.index("CMD") + 3:].strip())
    assert command[0] == "python"
    script = ROOT / command[1].removeprefix("/app/")
    assert script.is_file(), f"the health check runs {command[1]}, which the repository does not have"
    assert "/healthz" in script.read_text()


def test_no_secret_is_set_in_env_or_arg():
    for instruction in instructions():
        if instruction.keyword in {"ENV", "ARG"}:
            for key in env_keys(instruction):
                assert not SECRET_NAME.search(key), f"line {instruction.line}: {instruction.keyword} {key} bakes a secret into the image"


def test_collectstatic_gets_its_build_values_on_its_own_run_line():
    runs = [i for i in instructions() if i.keyword == "RUN" and "collectstatic" in i.args]
    assert len(runs) == 1
    command = runs[0].args
    assert re.match(r"^SECRET_KEY=\S+\s+ALLOWED_HOSTS=\S+\s+VISIONSPACE_MODE=production\s+python manage.py collectstatic", command), command
    assert "--noinput" in command


def test_it_installs_the_lock_with_hashes_and_htmx_with_npm_ci():
    runs = " ".join(i.args for i in instructions() if i.keyword == "RUN")
    assert re.search(r"pip install [^&]*--require-hashes -r \S*requirements\.lock", runs)
    assert "npm ci" in runs


def test_the_final_stage_takes_only_the_venv_and_htmx_from_the_build_stages():
    copies = [i.args.split() for i in final_stage() if i.keyword == "COPY" and i.args.startswith("--from=")]
    sources = sorted(words[1] for words in copies)
    assert sources == ["/build/node_modules/htmx.org/dist", "/opt/venv"]


def test_it_serves_on_8000_and_runs_web_by_default():
    stage = final_stage()
    assert [i.args for i in stage if i.keyword == "EXPOSE"] == ["8000"]
    entrypoint = [json.loads(i.args) for i in stage if i.keyword == "ENTRYPOINT"]
    assert entrypoint == [["/app/docker/entrypoint.sh"]], "use the exec form so the role process is PID 1's child"
    assert [json.loads(i.args) for i in stage if i.keyword == "CMD"] == [["web"]]


def test_the_entrypoint_is_executable():
    assert os.access(DOCKER / "entrypoint.sh", os.X_OK)


@pytest.fixture
def fake_bin(tmp_path):
    """daphne, celery and python stand-ins that print how they were called."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("daphne", "celery", "python"):
        tool = bin_dir / name
        tool.write_text(f'#!/bin/sh\necho {name} "$@"\n')
        tool.chmod(0o755)
    return bin_dir


def run_entrypoint(fake_bin: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DOCKER / "entrypoint.sh"), *args],
        capture_output=True, text=True, timeout=10,
        env={"PATH": f"{fake_bin}:/usr/bin:/bin", **env},
    )


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), {}, "daphne -b 0.0.0.0 -p 8000 --access-log /dev/null visionspace_site.asgi:application"),
        (("web",), {"PORT": "9123"}, "daphne -b 0.0.0.0 -p 9123 --access-log /dev/null visionspace_site.asgi:application"),
        (("worker", "--concurrency=4"), {}, "celery -A visionspace_site worker --loglevel=INFO --without-gossip --without-mingle --concurrency=4"),
        (("beat",), {"LOG_LEVEL": "DEBUG"}, "celery -A visionspace_site beat --loglevel=DEBUG --schedule /tmp/celerybeat-schedule"),
        (("migrate",), {}, "python manage.py migrate --noinput"),
        (("manage", "createsuperuser", "--noinput"), {}, "python manage.py createsuperuser --noinput"),
    ],
)
def test_the_entrypoint_starts_each_role(fake_bin, args, env, expected):
    result = run_entrypoint(fake_bin, *args, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_entrypoint_refuses_an_unknown_role(fake_bin):
    result = run_entrypoint(fake_bin, "webb")
    assert result.returncode == 64
    assert "unknown role 'webb'" in result.stderr


class _Healthz(BaseHTTPRequestHandler):
    status = 200
    seen_hosts: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.seen_hosts.append(self.headers["Host"])
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def healthz_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Healthz)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Healthz.status, _Healthz.seen_hosts = 200, []
    yield server
    server.shutdown()
    server.server_close()


def run_healthcheck(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DOCKER / "healthcheck.py")],
        capture_output=True, text=True, timeout=15,
        env={"PATH": os.environ["PATH"], "PORT": str(port)},
    )


def test_the_healthcheck_passes_on_200_from_this_containers_port(healthz_server):
    result = run_healthcheck(healthz_server.server_port)
    assert result.returncode == 0, result.stderr
    assert _Healthz.seen_hosts == [f"127.0.0.1:{healthz_server.server_port}"]


def test_the_healthcheck_fails_on_an_error_status(healthz_server):
    _Healthz.status = 500
    result = run_healthcheck(healthz_server.server_port)
    assert result.returncode == 1
    assert "500" in result.stderr


def test_the_dockerignore_keeps_local_state_and_secrets_out_of_the_build():
    patterns = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "node_modules", "var", ".git", "staticfiles", "test-artifacts", "docker/secrets", ".env"} <= patterns


def test_collectstatic_succeeds_with_only_the_build_time_values(tmp_path):
    """Replays the image's collectstatic step on a copy of what the Dockerfile copies."""
    htmx = ROOT / "node_modules" / "htmx.org" / "dist"
    if not htmx.is_dir():
        pytest.fail(f"{htmx} is missing: run `npm ci` (or `make deps`) first.")
    app = tmp_path / "app"
    app.mkdir()
    for name in ("manage.py", "visionspace_site", "apps", "templates", "static"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, app / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if source.is_dir() else {}))
    shutil.copytree(htmx, app / "node_modules" / "htmx.org" / "dist")

    run = next(i for i in instructions() if i.keyword == "RUN" and "collectstatic" in i.args)
    words = shlex.split(run.args.split("&&")[0])
    inline = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    command = [word for word in words if not re.match(r"^[A-Z_]+=", word)]
    image_env = {}
    for instruction in final_stage():
        if instruction.keyword == "ENV":
            image_env.update(word.split("=", 1) for word in shlex.split(instruction.args) if "=" in word)
    image_env.pop("PATH", None)

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **image_env, **inline}
    result = subprocess.run(
        [sys.executable if command[0] == "python" else command[0], *command[1:]],
        cwd=app, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
    assert any(path.startswith("vendor/htmx/") for path in manifest["paths"])
    assert not (app / "var").exists(), "collectstatic wrote to var/, which is not writable at build time"
