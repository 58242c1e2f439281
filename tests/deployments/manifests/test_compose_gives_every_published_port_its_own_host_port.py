"""In one compose project no two services (or replicas) may publish the same host port."""

from __future__ import annotations

import yaml

from apps.deployments.manifests.compose import compose_render

from .tools import make_service


def _host_ports(text: str) -> list[int]:
    ports = []
    for service in yaml.safe_load(text)["services"].values():
        for mapping in service.get("ports", []):
            host, _ = mapping.split(":")
            first, _, last = host.partition("-")
            ports.extend(range(int(first), int(last or first) + 1))
    return ports


def test_the_fleet_publishes_no_host_port_twice(fleet):
    ports = _host_ports(compose_render(services=fleet))
    assert len(ports) == len(set(ports))
    # 11 VLS services on 8080 alone would collide 10 times.
    assert len([s for s in fleet if 8080 in s.container.ports]) > 1


def test_the_first_service_keeps_the_container_port_and_the_next_moves_up():
    text = compose_render(services=[make_service("a"), make_service("b"), make_service("c", replicas=2)])
    services = yaml.safe_load(text)["services"]
    assert services["a"]["ports"] == ["8080:8080"]
    assert services["b"]["ports"] == ["8081:8080"]
    assert services["c"]["ports"] == ["8082-8083:8080"]
