"""A Compose v2 project for one service or the fleet, in the shape of the document's
docker-compose.production.yml (image, ports, environment, deploy.replicas), plus the
resource limits, health check, secrets and hardening that the document leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from . import names
from .names import ArtefactError

PROJECT = "visionspace"
FILENAME = "docker-compose.production.yml"

# The probe URL is passed as an argument, never spliced into the code or a shell line.
_NODE_PROBE = "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
_PYTHON_PROBE = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=4)"


def compose_render(*, services: Sequence) -> str:
    services = list(services)
    if not services:
        raise ArtefactError("No services to render; choose at least one.")
    service_names = names.unique_names([s.slug for s in services])
    used_ports: set[int] = set()
    project: dict[str, Any] = {"name": PROJECT, "services": {}}
    secrets: dict[str, dict[str, str]] = {}
    for service, name in zip(services, service_names, strict=True):
        project["services"][name] = _service(service, used_ports=used_ports, secrets=secrets)
    if secrets:
        project["secrets"] = secrets
    return names.header(services, names=service_names) + names.yaml_dump(_escape_dollars(project))


def _service(service, *, used_ports: set[int], secrets: dict[str, dict[str, str]]) -> dict[str, Any]:
    replicas, _, _ = names.scaling(service)
    ports = names.ports(service)
    entry: dict[str, Any] = {"image": names.image_reference(service)}
    if ports:
        entry["ports"] = [_publish(port, replicas=replicas, used=used_ports) for port in ports]
    environment = dict(names.env_pairs(service))
    mounted = []
    for env, key in names.secret_pairs(service):
        secret = names.secret_name(key)
        secrets[secret] = {"environment": names.secret_variable(key)}
        if f"{env}_FILE" in environment:
            raise ArtefactError(
                f"Service '{service.slug}': {env}_FILE is set and {env} is a secret, which compose passes as "
                f"{env}_FILE; remove the plain {env}_FILE."
            )
        environment[f"{env}_FILE"] = f"/run/secrets/{secret}"
        mounted.append(secret)
    if environment:
        entry["environment"] = environment
    if mounted:
        entry["secrets"] = list(dict.fromkeys(mounted))
    entry["deploy"] = {
        "replicas": replicas,
        "resources": {
            "limits": {
                "cpus": _cpus(names.quantity(names.cpu(service), what="cpu")),
                "memory": _memory(names.quantity(names.memory(service), what="memory")),
            }
        },
    }
    healthcheck = _healthcheck(service, ports[0] if ports else None)
    if healthcheck:
        entry["healthcheck"] = healthcheck
    entry.update({
        "restart": "unless-stopped",
        "read_only": True,
        "tmpfs": ["/tmp"],
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "labels": {"io.visionspace.service": service.slug},
    })
    return entry


def _publish(port: int, *, replicas: int, used: set[int]) -> str:
    """``host:container``; each replica needs its own host port, so several get a range.

    The host port is the container port unless another service in the file has it;
    then the next free range above it.
    """
    count = max(replicas, 1)
    start = port
    while any(p in used for p in range(start, start + count)):
        start += 1
    if start + count - 1 > 65535:
        raise ArtefactError(f"No free host ports left above {port} for {count} replicas; publish fewer services.")
    used.update(range(start, start + count))
    host = str(start) if count == 1 else f"{start}-{start + count - 1}"
    return f"{host}:{port}"


def _cpus(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def _memory(amount: Decimal) -> str:
    """Compose reads memory in binary units (``4G`` is 4 GiB); a decimal ``4G`` quantity becomes ``3906250K``."""
    size = int(amount)
    for unit, factor in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def _healthcheck(service, port: int | None) -> dict[str, Any] | None:
    path = names.http_path(service, "liveness_path")
    if not path or port is None:
        return None
    url = f"http://127.0.0.1:{port}{path}"
    runtime = names.spec_of(service).runtime
    if runtime == "node":
        test = ["CMD", "node", "-e", _NODE_PROBE, url]
    elif runtime == "python":
        test = ["CMD", "python", "-c", _PYTHON_PROBE, url]
    else:
        test = ["CMD", "wget", "-q", "-O", "/dev/null", url]
    return {"test": test, "interval": "30s", "timeout": "5s", "start_period": "15s", "retries": 3}


def _escape_dollars(value: Any) -> Any:
    """Compose interpolates ``$VAR`` and ``${VAR}`` in every value; ``$$`` is a literal dollar."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, dict):
        return {key: _escape_dollars(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape_dollars(item) for item in value]
    return value
