"""apps/deployments/manifests/dockerfile.py: per-runtime Dockerfiles that pass hadolint
and the compliance rules, whatever the catalogue holds."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dockerfile_parse import DockerfileParser

from apps.catalog.models import ContainerSpec, Service
from apps.compliance.context import scan_context_build
from apps.compliance.dockerfiles import dockerfile_read, exec_form
from apps.compliance.hadolint import hadolint_lint
from apps.compliance.rules import REGISTRY, rule_run
from apps.deployments.manifests.dockerfile import (
    DockerfileRenderError,
    dockerfile_render,
)

HOSTILE = [
    'double "quotes"', "it's", "'", "''", "\\", "ends with a backslash\\", "\\\\", "$(rm -rf /)", "`id`",
    "${HOME}", "$HOME", "$", "${", "é ü 中文 🚀", "\u202eright-to-left", "#not a comment", "  padded  ",
    "=", "a=b c=d", "'\"'\"'", "--chown=0:0", "\\'", "'\\", "ENV X=1", "", "back\\ slash space",
]
UNREPRESENTABLE = ["two\nlines", "line\rfeed", "nul\x00byte", "tab\there", "sep\u2028arator", "para\u2029graph"]


def service_in_memory(*, runtime="node", name="Prediction Engine", slug="prediction-engine", env=None,
                      ports=(3000,), secret_refs=(), liveness_path="/healthz") -> Service:
    service = Service(slug=slug, name=name, purpose="AI Forecasting")
    ContainerSpec(service=service, image="gcr.io/x/prediction-engine", tag="1.0.0", runtime=runtime,
                  ports=list(ports), env=dict(env or {}), secret_refs=list(secret_refs), cpu="1", memory="512Mi",
                  liveness_path=liveness_path)
    return service


def parsed(text: str) -> DockerfileParser:
    return DockerfileParser(fileobj=io.BytesIO(text.encode()))


def keywords(text: str) -> list[str]:
    return [i["instruction"] for i in parsed(text).structure if i["instruction"] != "COMMENT"]


@pytest.mark.parametrize("runtime", ["node", "python"])
def test_it_renders_a_pinned_multi_stage_non_root_image(runtime):
    text = dockerfile_render(service=service_in_memory(runtime=runtime, ports=(3000, 9090)))
    df = dockerfile_read(text)
    assert len(df.stages) == 2
    base = {"node": "node:24.11.1-alpine3.22", "python": "python:3.11.10-slim-bookworm"}[runtime]
    assert [s.image for s in df.stages] == [base, base]
    final = [(i.keyword, i.value) for i in df.final_stage.instructions]
    assert ("USER", "10001:10001") in final
    assert ("EXPOSE", "3000 9090") in final
    health = exec_form(next(v for k, v in final if k == "HEALTHCHECK").split(" CMD ", 1)[1])
    assert health[0] == {"node": "node", "python": "python"}[runtime]
    assert health[-2:] == ["3000", "/healthz"]
    assert exec_form(next(v for k, v in final if k == "CMD")) == [runtime, "."]
    assert hadolint_lint(text) == []


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_env_values_and_names_come_back_exactly_and_add_no_instruction(value):
    benign = dockerfile_render(service=service_in_memory(env={"GREETING": "hello"}))
    text = dockerfile_render(service=service_in_memory(name=value or "x", env={"GREETING": value}))

    assert keywords(text) == keywords(benign)
    assert parsed(text).envs["GREETING"] == value
    assert parsed(text).labels["org.opencontainers.image.title"] == (value.strip() or "x")
    assert hadolint_lint(text) == []


@pytest.mark.parametrize("value", HOSTILE)
def test_dockerfiles_with_hostile_values_still_pass_every_dockerfile_rule(value):
    service = service_in_memory(name=value or "x", env={"GREETING": value})
    service.container.dockerfile = dockerfile_render(service=service)
    ctx = scan_context_build(service=service)
    outcomes = {rule.id: rule_run(rule, ctx) for rule in REGISTRY.values() if rule.needs_dockerfile}
    assert {rid: o.evidence for rid, o in outcomes.items() if o.status != "pass"} == {}


@pytest.mark.parametrize("value", UNREPRESENTABLE)
def test_values_a_dockerfile_cannot_hold_are_left_to_run_time_and_named(value):
    text = dockerfile_render(service=service_in_memory(name=f"name {value}", env={"MULTI": value, "OK": "yes"}))
    env = parsed(text).envs
    assert "MULTI" not in env and env["OK"] == "yes"
    assert "# Set at run time by the platform (a Dockerfile cannot hold them): MULTI" in text
    assert value not in text
    assert keywords(text) == keywords(dockerfile_render(service=service_in_memory(env={"OK": "yes"})))
    assert hadolint_lint(text) == []


def test_secrets_are_named_in_a_comment_and_never_written():
    service = service_in_memory(
        env={"API_TOKEN": "tok-123-literal", "DAILY_API_KEY": "also-in-env", "MODE": "production"},
        secret_refs=[{"env": "DAILY_API_KEY", "key": "daily/api-key"}, {"env": "DAILY_DOMAIN", "key": "daily/domain"}],
    )
    text = dockerfile_render(service=service)
    assert "tok-123-literal" not in text and "also-in-env" not in text
    assert "never baked in: DAILY_API_KEY, DAILY_DOMAIN" in text
    assert "(a Dockerfile cannot hold them): API_TOKEN" in text
    assert parsed(text).envs == {"NODE_ENV": "production", "MODE": "production"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"env": {"BAD NAME": "x"}}, "env has the name 'BAD NAME', which is not an environment variable name"),
        ({"env": {"X\nRUN id": "x"}}, "which is not an environment variable name"),
        ({"env": {"PATH": "/evil"}}, "env PATH is set by the image itself"),
        ({"secret_refs": [{"env": "$(id)", "key": "k"}]}, "secret_refs has the name '$(id)'"),
        ({"ports": ()}, "lists no ports; add the port the service listens on"),
        ({"ports": ("3000; rm -rf /",)}, "container port '3000; rm -rf /' is not a port number"),
        ({"ports": (70000,)}, "container port 70000 is not a port number"),
        ({"ports": (True,)}, "container port True is not a port number"),
        ({"runtime": "other"}, "no Dockerfile template for runtime 'other'; set the container spec's runtime"),
    ],
)
def test_specs_that_cannot_become_a_dockerfile_get_an_error_that_says_what_to_fix(change, message):
    with pytest.raises(DockerfileRenderError, match=message.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
        dockerfile_render(service=service_in_memory(**change))


def test_a_service_without_a_container_spec_is_told_to_add_one():
    with pytest.raises(DockerfileRenderError, match="has no container spec"):
        dockerfile_render(service=Service(slug="bare", name="Bare", purpose="none"))


def test_rendering_is_deterministic():
    assert dockerfile_render(service=service_in_memory(env={"A": "1", "B": "2"})) == \
        dockerfile_render(service=service_in_memory(env={"A": "1", "B": "2"}))


# --- The HEALTHCHECK command, run for real against a server on 127.0.0.1 ----------------

class Recorder(BaseHTTPRequestHandler):
    status = 200
    paths: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.paths.append(self.path)
        self.send_response(Recorder.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.paths = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def healthcheck_argv(text: str) -> list[str]:
    value = next(i.value for i in dockerfile_read(text).final_stage.instructions if i.keyword == "HEALTHCHECK")
    return exec_form(value.split(" CMD ", 1)[1])


def run_healthcheck(argv: list[str]) -> int:
    binary = shutil.which(argv[0]) if argv[0] == "node" else shutil.which("python3")
    if binary is None:
        pytest.fail(f"{argv[0]} is not installed; the health check script cannot be run (apt-get install nodejs).")
    return subprocess.run([binary, *argv[1:]], capture_output=True, timeout=20).returncode


@pytest.mark.parametrize("runtime", ["node", "python"])
def test_the_healthcheck_reports_healthy_and_unhealthy(runtime, health_server):
    port = health_server.server_address[1]
    argv = healthcheck_argv(dockerfile_render(service=service_in_memory(runtime=runtime, ports=(port,))))

    Recorder.status = 200
    assert run_healthcheck(argv) == 0
    Recorder.status = 503
    assert run_healthcheck(argv) == 1
    assert Recorder.paths == ["/healthz", "/healthz"]


@pytest.mark.parametrize("runtime", ["node", "python"])
def test_a_hostile_liveness_path_is_sent_encoded_and_runs_nothing(runtime, health_server, tmp_path):
    port = health_server.server_address[1]
    marker = tmp_path / "pwned"
    path = f"/ok\"'); require('fs').writeFileSync('{marker}', 'x'); ('\n$(touch {marker}) `touch {marker}` ü"
    argv = healthcheck_argv(dockerfile_render(service=service_in_memory(runtime=runtime, ports=(port,),
                                                                        liveness_path=path)))
    Recorder.status = 200
    assert run_healthcheck(argv) == 0
    assert not marker.exists()
    [seen] = Recorder.paths
    assert seen.startswith("/ok%22');%20require") and " " not in seen and "\n" not in seen


def test_the_healthcheck_fails_when_nothing_listens():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        argv = healthcheck_argv(dockerfile_render(service=service_in_memory(ports=(port,))))
        assert run_healthcheck(argv) == 1


def test_the_dockerignore_keeps_secrets_and_history_out_of_copy_dot():
    from apps.deployments.manifests.dockerfile import dockerignore_render

    ignored = dockerignore_render().splitlines()
    assert {".env", ".env.*", ".git", "node_modules", ".venv"} <= set(ignored)
