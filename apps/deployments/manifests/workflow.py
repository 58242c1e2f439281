"""A GitHub Actions workflow in the shape of the document's container-updates.yml: on a
push under a service's directory, build its image, scan it, push it and roll it out
on Cloud Run.

Injection safety: the ``run:`` scripts below are constants. Catalogue values reach them
only as environment variables (``env:`` → ``"$IMAGE"``), and every such value is first
held to a grammar with no ``$``, ``{``, quote, space or newline, because GitHub
evaluates ``${{ }}`` inside ``env:`` and ``with:`` values too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from . import names
from .names import ArtefactError

FILENAME = "container-updates.yml"
BUILD_CONTEXT_ANNOTATION = "visionspace.io/build-context"
# Where each kind of service lives in the repository, after the document's layout.
CONTEXT_ROOT = {"vls": "vls/solutions", "diamond_cli": "diamond-cli", "integration": "integrations"}
CONTEXT = re.compile(r"(?!.*(?:^|/)\.{1,2}(?:/|$))[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
REGION = re.compile(r"[a-z]+(?:-[a-z]+)+[0-9]+")

# Third-party actions are pinned to a commit: tags can be moved (trivy-action's were, in
# March 2026). checkout v4.2.2, trivy-action 0.35.0.
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
TRIVY = "aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1"
GOOGLE_AUTH = "google-github-actions/auth@v2"

BUILD = 'docker build --tag "$IMAGE:$GITHUB_SHA" "$CONTEXT"\n'
PUSH = (
    'case "$REGISTRY" in\n'
    '  gcr.io|*.gcr.io|*-docker.pkg.dev) gcloud auth configure-docker "$REGISTRY" --quiet ;;\n'
    "esac\n"
    'docker push "$IMAGE:$GITHUB_SHA"\n'
)
DEPLOY = (
    "for region in $REGIONS; do\n"
    '  gcloud run deploy "$SERVICE" --image "$IMAGE:$GITHUB_SHA" --region "$region" --quiet\n'
    "done\n"
)
RUN_SCRIPTS = (BUILD, PUSH, DEPLOY)


def workflow_render(*, services: Sequence) -> str:
    services = list(services)
    if not services:
        raise ArtefactError("No services to render; choose at least one.")
    service_names = names.unique_names([s.slug for s in services])
    matrix = [_entry(service, name) for service, name in zip(services, service_names, strict=True)]
    paths = list(dict.fromkeys(f"{entry['context']}/**" for entry in matrix))
    workflow = {
        "name": "Container Updates",
        "on": {"push": {"paths": paths}, "workflow_dispatch": {}},
        "permissions": {"contents": "read", "id-token": "write"},
        "jobs": {"build-and-deploy": _job(matrix)},
    }
    return names.header(services, names=service_names, pinned_matters=False) + names.yaml_dump(workflow)


def _job(matrix: list[dict[str, str]]) -> dict[str, Any]:
    image_env = {"IMAGE": "${{ matrix.image }}"}
    return {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 60,
        "strategy": {"fail-fast": False, "matrix": {"include": matrix}},
        "steps": [
            {"uses": CHECKOUT, "with": {"persist-credentials": False}},
            {
                "name": "Authenticate to Google Cloud",
                "uses": GOOGLE_AUTH,
                "with": {
                    "workload_identity_provider": "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
                    "service_account": "${{ vars.GCP_SERVICE_ACCOUNT }}",
                },
            },
            {"name": "Build", "env": {**image_env, "CONTEXT": "${{ matrix.context }}"}, "run": BUILD},
            {
                "name": "Scan for HIGH and CRITICAL vulnerabilities",
                "uses": TRIVY,
                "with": {
                    "image-ref": "${{ matrix.image }}:${{ github.sha }}",
                    "format": "table",
                    "severity": "HIGH,CRITICAL",
                    "ignore-unfixed": True,
                    "exit-code": "1",
                },
            },
            {"name": "Push", "env": {**image_env, "REGISTRY": "${{ matrix.registry }}"}, "run": PUSH},
            {
                "name": "Deploy to Cloud Run",
                "if": "matrix.regions != ''",
                "env": {**image_env, "SERVICE": "${{ matrix.service }}", "REGIONS": "${{ matrix.regions }}"},
                "run": DEPLOY,
            },
        ],
    }


def _entry(service, name: str) -> dict[str, str]:
    spec = names.spec_of(service)
    names.image_reference(service)  # checks the repository; CI builds a new tag from it
    repository = spec.image
    regions = spec.regions or []
    if not isinstance(regions, list) or not all(isinstance(r, str) and REGION.fullmatch(r) for r in regions):
        raise ArtefactError(
            f"Service '{service.slug}': regions {regions!r} must be Cloud Run region names such as us-west1."
        )
    return {
        "service": name,
        "image": repository,
        "registry": _registry(repository),
        "context": _context(service, name),
        "regions": " ".join(dict.fromkeys(regions)),
    }


def _registry(repository: str) -> str:
    first = repository.split("/", 1)[0]
    if "/" in repository and ("." in first or ":" in first or first == "localhost"):
        return first
    return "docker.io"


def _context(service, name: str) -> str:
    annotations = service.annotations if isinstance(service.annotations, dict) else {}
    context = annotations.get(BUILD_CONTEXT_ANNOTATION)
    if context is None:
        return f"{CONTEXT_ROOT.get(service.category, 'services')}/{name}"
    if not isinstance(context, str) or not CONTEXT.fullmatch(context.rstrip("/")):
        raise ArtefactError(
            f"Service '{service.slug}': {BUILD_CONTEXT_ANNOTATION} {context!r} must be a relative directory of "
            "letters, digits, '.', '_' and '-' separated by '/', without '..'."
        )
    return context.rstrip("/")
