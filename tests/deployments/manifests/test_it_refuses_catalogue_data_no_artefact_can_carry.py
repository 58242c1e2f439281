"""Bad catalogue data gets an error that says what to change, from every renderer alike."""

from __future__ import annotations

import pytest

from apps.catalog.models import Service
from apps.deployments.manifests import ARTEFACTS, ArtefactError, artefact_render

from .tools import make_service

KINDS = ["compose", "knative", "kubernetes"]

CASES = [
    ({"image": "GCR.IO/Upper/Case Name"}, "is not a repository name"),
    ({"image": "gcr.io/x/y:1.0"}, "the tag and digest have their own fields"),
    ({"tag": "1.0 beta"}, "tag '1.0 beta' is not valid"),
    ({"digest": "md5:abc"}, "use sha256: followed by 64 lower-case hex digits"),
    ({"env": {"BAD NAME": "x"}}, "'BAD NAME' is not an environment variable name"),
    ({"env": {"1ST": "x"}}, "not starting with a digit"),
    ({"env": {"A": "x\x00y"}}, "contains a NUL character"),
    ({"env": {"A": "\ud800"}}, "not valid Unicode text"),
    ({"env": {"A": ["list"]}}, "is a list; write it as a string"),
    ({"env": ["A=1"]}, "env must be a mapping"),
    ({"env": {"KEY": "x"}, "secret_refs": [{"env": "KEY", "key": "k"}]}, "both a plain variable and a secret"),
    ({"secret_refs": [{"env": "KEY"}]}, "needs 'env' and 'key'"),
    ({"secret_refs": [{"env": "K", "key": "a"}, {"env": "K", "key": "b"}]}, "K has two secret references"),
    ({"ports": ["8080"]}, "port '8080' is not a number from 1 to 65535"),
    ({"ports": [70000]}, "port 70000 is not a number"),
    ({"ports": [8080, 8080]}, "list a port twice"),
    ({"cpu": "2 cores"}, "is not a Kubernetes quantity"),
    ({"cpu": "0"}, "must be more than zero"),
    ({"memory": "100m"}, "is not a whole number of bytes"),
    ({"liveness_path": "healthz"}, "liveness_path 'healthz' is not a URL path"),
    ({"min_instances": 5, "max_instances": 2}, r"max_instances \(2\) must be at least 1 and at least min_instances \(5\)"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("container", "message"), CASES, ids=[m[:40] for _, m in CASES])
def test_it_refuses_with_a_message_naming_the_service(kind, container, message):
    with pytest.raises(ArtefactError, match=message) as caught:
        artefact_render(kind=kind, services=[make_service("broken-svc", **container)])
    assert "Service 'broken-svc'" in str(caught.value)


@pytest.mark.parametrize("kind", ["knative", "kubernetes"])  # compose has no readiness check
def test_a_readiness_path_that_is_not_a_path_is_refused(kind):
    with pytest.raises(ArtefactError, match="readiness_path .* is not a URL path"):
        artefact_render(kind=kind, services=[make_service("svc", readiness_path="/ready\nHost: evil")])


def test_it_refuses_a_service_without_a_container_spec():
    service = Service(slug="bare", name="Bare", category="vls", status="containerised", owner="x")
    for kind in ARTEFACTS:
        if kind == "dockerfile":
            continue
        with pytest.raises(ArtefactError, match="Service 'bare' has no container spec; add one"):
            artefact_render(kind=kind, services=[service])


def test_it_refuses_an_empty_selection_and_an_unknown_kind():
    with pytest.raises(ArtefactError, match="No services to render"):
        artefact_render(kind="compose", services=[])
    with pytest.raises(ArtefactError, match="Unknown artefact 'helm'; choose one of compose, dockerfile, knative"):
        artefact_render(kind="helm", services=[make_service("a")])
