"""Kubernetes quantities (the catalogue's unit) become Compose's cpus and binary memory sizes."""

from __future__ import annotations

import pytest
import yaml

from apps.deployments.manifests.compose import compose_render

from .tools import compose_resolved, make_service


@pytest.mark.parametrize(
    ("cpu", "memory", "cpus", "memory_out", "memory_bytes"),
    [
        ("2", "4Gi", "2", "4G", 4 * 1024**3),
        ("500m", "512Mi", "0.5", "512M", 512 * 1024**2),
        ("0.25", "1.5Gi", "0.25", "1536M", 1536 * 1024**2),
        ("1500m", "4G", "1.5", "3906250K", 4 * 10**9),
        ("4", "128974848", "4", "123M", 128974848),
        ("1", "1e9", "1", "1000000000", 10**9),
        ("100m", "100k", "0.1", "100000", 100000),
    ],
)
def test_quantities_convert_exactly(tmp_path, cpu, memory, cpus, memory_out, memory_bytes):
    text = compose_render(services=[make_service("app", cpu=cpu, memory=memory)])
    limits = yaml.safe_load(text)["services"]["app"]["deploy"]["resources"]["limits"]
    assert limits == {"cpus": cpus, "memory": memory_out}
    resolved = compose_resolved(text, tmp_path)["services"]["app"]["deploy"]["resources"]["limits"]
    assert float(resolved["cpus"]) == float(cpus)
    assert int(resolved["memory"]) == memory_bytes


def test_missing_resources_get_cloud_runs_defaults():
    limits = yaml.safe_load(compose_render(services=[make_service("app")]))["services"]["app"]["deploy"]["resources"]["limits"]
    assert limits == {"cpus": "1", "memory": "512M"}
