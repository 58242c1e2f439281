"""Everything the rules look at, gathered once per scan: the service, its container spec,
its Dockerfile (read and linted) and the CI workflow the product generates for it."""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from apps.catalog.models import ContainerSpec, Service

from .dockerfiles import ParsedDockerfile, dockerfile_read
from .hadolint import HadolintFailed, HadolintFinding, hadolint_lint

logger = logging.getLogger(__name__)

MAX_DOCKERFILE_CHARS = 256 * 1024
WORKFLOW_RENDERER = "apps.deployments.manifests.workflow.workflow_render"
NO_DOCKERFILE = "No Dockerfile on record — generate one or paste it in."
NO_SPEC = "No container spec on record — add one to the service in the catalogue."


@dataclass(frozen=True)
class Workflow:
    """The CI workflow the product would generate for this service, if a renderer exists."""

    available: bool
    text: str = ""
    error: str = ""


@dataclass(frozen=True)
class ScanContext:
    service: Service
    spec: ContainerSpec | None
    dockerfile: ParsedDockerfile | None
    dockerfile_missing: str  # why there is nothing to read, when dockerfile is None
    hadolint: tuple[HadolintFinding, ...]
    hadolint_error: str  # why hadolint gave no answer for this Dockerfile, if it did not
    workflow: Workflow


def container_spec(service: Service) -> ContainerSpec | None:
    try:
        return service.container
    except ObjectDoesNotExist:
        return None


def scan_inputs_sha256(*, service: Service, rules_fingerprint: str) -> str:
    """A fingerprint of what the rules read from the database (not the workflow renderer's
    output: the nightly scan picks up changes there)."""
    spec = container_spec(service)
    inputs = {
        "rules": rules_fingerprint,
        "annotations": service.annotations,
        "component_url": service.component_url,
        "spec": None if spec is None else {
            "image": spec.image, "tag": spec.tag, "digest": spec.digest, "runtime": spec.runtime,
            "dockerfile": spec.dockerfile, "ports": spec.ports, "env": spec.env, "secret_refs": spec.secret_refs,
            "cpu": spec.cpu, "memory": spec.memory, "liveness_path": spec.liveness_path,
        },
    }
    encoded = json.dumps(inputs, sort_keys=True, default=str, ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def scan_context_build(*, service: Service) -> ScanContext:
    spec = container_spec(service)
    text = spec.dockerfile if spec is not None else ""
    dockerfile, missing, findings, lint_error = None, "", (), ""
    if spec is None:
        missing = NO_SPEC
    elif not text.strip():
        missing = NO_DOCKERFILE
    elif len(text) > MAX_DOCKERFILE_CHARS:
        missing = (f"The Dockerfile on record is {len(text):,} characters, over the {MAX_DOCKERFILE_CHARS:,} this "
                   "scanner reads; paste in the real Dockerfile.")
    else:
        dockerfile = dockerfile_read(text)
        try:
            findings = tuple(hadolint_lint(text))
        except HadolintFailed as exc:  # this Dockerfile's problem: the other rules still apply
            lint_error = str(exc)
    return ScanContext(
        service=service, spec=spec, dockerfile=dockerfile, dockerfile_missing=missing, hadolint=findings,
        hadolint_error=lint_error, workflow=workflow_for(service),
    )


def workflow_for(service: Service) -> Workflow:
    path = getattr(settings, "COMPLIANCE_WORKFLOW_RENDERER", WORKFLOW_RENDERER)
    module_name, _, function_name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return Workflow(available=False)
        return Workflow(available=True, error=f"the workflow renderer cannot be imported: {exc}")
    render = getattr(module, function_name, None)
    if render is None:
        return Workflow(available=False)
    try:
        return Workflow(available=True, text=str(render(services=[service])))
    except Exception as exc:  # a broken renderer makes this one rule unknown, not the scan fail
        logger.warning("workflow renderer failed for %s", service.slug, exc_info=True)
        return Workflow(available=True, error=f"the workflow renderer failed: {type(exc).__name__}: {exc}")
