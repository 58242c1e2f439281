"""The compose file has the shape of the document's docker-compose.production.yml."""

from __future__ import annotations

import yaml

from apps.deployments.manifests.compose import compose_render

from .tools import compose_resolved, make_service


def test_the_fleet_has_one_entry_per_service_and_no_obsolete_version_key(fleet):
    project = yaml.safe_load(compose_render(services=fleet))
    assert "version" not in project
    assert project["name"] == "visionspace"
    assert len(project["services"]) == 22
    assert "diamond-solutions-menu" in project["services"]  # image_name style: diamondSolutionsMenu


def test_the_visionspace_hub_matches_the_document(fleet, tmp_path):
    hub = next(s for s in fleet if s.slug == "visionspace-automation-hub")
    service = compose_resolved(compose_render(services=[hub]), tmp_path)["services"]["visionspace-automation-hub"]
    assert service["image"] == "gcr.io/api-for-warp-drive/visionspace:latest"
    assert service["environment"]["NODE_ENV"] == "production"
    assert service["environment"]["CLOUD_ML_REGION"] == "us-west1"
    assert service["deploy"]["replicas"] == 3
    assert service["deploy"]["resources"]["limits"] == {"cpus": 2, "memory": str(4 * 1024**3)}
    # Three replicas cannot share one host port: each gets one of a range.
    assert {"target": 8080, "published": "8080-8082"}.items() <= service["ports"][0].items()


def test_a_digest_pins_the_image(tmp_path):
    digest = "sha256:" + "0123456789abcdef" * 4
    text = compose_render(services=[make_service("pinned", tag="2.1.0", digest=digest)])
    assert compose_resolved(text, tmp_path)["services"]["pinned"]["image"] == f"gcr.io/example/svc:2.1.0@{digest}"
    assert "Not pinned" not in text


def test_an_unpinned_image_is_named_in_the_header():
    text = compose_render(services=[make_service("moving", tag="latest")])
    assert text.splitlines()[1].startswith("# Not pinned (moving tag, no digest): moving.")


def test_the_healthcheck_is_an_exec_array_with_the_url_as_an_argument(tmp_path):
    services = [
        make_service("n", runtime="node", liveness_path="/live?x=$(id)"),
        make_service("p", runtime="python", ports=[8000]),
        make_service("o", runtime="other", ports=[7000]),
    ]
    resolved = compose_resolved(compose_render(services=services), tmp_path)["services"]
    tests = {name: service["healthcheck"]["test"] for name, service in resolved.items()}
    assert tests["n"][:3] == ["CMD", "node", "-e"] and tests["n"][-1] == "http://127.0.0.1:8080/live?x=$(id)"
    assert tests["p"][:3] == ["CMD", "python", "-c"] and tests["p"][-1] == "http://127.0.0.1:8000/healthz"
    assert tests["o"] == ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:7000/healthz"]
    assert not any(test[0] == "CMD-SHELL" for test in tests.values())


def test_no_port_means_no_published_port_and_no_http_healthcheck(tmp_path):
    service = compose_resolved(compose_render(services=[make_service("worker", ports=[])]), tmp_path)["services"]["worker"]
    assert "ports" not in service and "healthcheck" not in service


def test_secrets_are_mounted_files_read_from_the_host_environment_never_values(tmp_path):
    service = make_service("api", env={"MODE": "prod"}, secret_refs=[{"env": "DAILY_API_KEY", "key": "daily/api-key"}])
    text = compose_render(services=[service])
    project = compose_resolved(text, tmp_path)
    (name, secret), = project["secrets"].items()
    assert name.startswith("daily-api-key-")
    assert secret["environment"] == "VS_SECRET_" + name.upper().replace("-", "_")
    entry = project["services"]["api"]
    assert entry["secrets"] == [{"source": name, "target": f"/run/secrets/{name}"}]
    assert entry["environment"] == {"MODE": "prod", "DAILY_API_KEY_FILE": f"/run/secrets/{name}"}
    assert "DAILY_API_KEY:" not in text


def test_services_sharing_a_key_share_one_secret():
    refs = [{"env": "KEY", "key": "shared/key"}]
    project = yaml.safe_load(compose_render(services=[make_service("a", secret_refs=refs),
                                                      make_service("b", ports=[9000], secret_refs=refs)]))
    assert len(project["secrets"]) == 1


def test_containers_are_hardened(tmp_path):
    service = compose_resolved(compose_render(services=[make_service("app")]), tmp_path)["services"]["app"]
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert service["security_opt"] == ["no-new-privileges:true"]
    assert service["restart"] == "unless-stopped"
