"""Rules about how the service runs rather than how its image is built: the container
spec, the service's annotations and the CI workflow.

Conventions (docs/compliance.md): a service records facts that live outside VisionSpace
as annotations on the catalogue entry: ``visionspace.io/auth: oauth2`` (its endpoints sit
behind OAuth2/OIDC) and ``visionspace.io/scan: trivy`` (its own pipeline scans images).
"""

from __future__ import annotations

import re

import yaml

from ..context import NO_SPEC, ScanContext
from ..dockerfiles import key_values
from ..models import Severity
from apps.core.sensitive import plaintext_urls
from . import RuleOutcome, failed, failed_items, not_applicable, passed, rule, unknown

SEED = "seed: Container Security"
AUTH_ANNOTATION = "visionspace.io/auth"
AUTH_VALUES = {"oauth2", "oidc"}
SCAN_ANNOTATION = "visionspace.io/scan"
SCANNERS = {"trivy", "grype", "snyk", "docker-scout", "clair", "anchore"}
SCAN_STEP = re.compile(r"trivy|grype|snyk|docker[ -]scout|anchore|clair", re.I)
CPU = re.compile(r"^(\d+(\.\d+)?|\d+m)$")
MEMORY = re.compile(r"^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$")


def _annotation(ctx: ScanContext, key: str) -> str:
    annotations = ctx.service.annotations if isinstance(ctx.service.annotations, dict) else {}
    value = annotations.get(key, "")
    return value.strip().lower() if isinstance(value, str) else ""


def scan_steps(workflow_text: str) -> list[str]:
    """Names of the workflow's steps that run an image scanner (``uses:`` or ``run:``)."""
    try:
        document = yaml.safe_load(workflow_text)
    except yaml.YAMLError:
        return []
    jobs = document.get("jobs") if isinstance(document, dict) else None
    found = []
    for job_name, job in (jobs or {}).items() if isinstance(jobs, dict) else []:
        for number, step in enumerate(job.get("steps") or [] if isinstance(job, dict) else [], start=1):
            if not isinstance(step, dict):
                continue
            if any(isinstance(step.get(k), str) and SCAN_STEP.search(step[k]) for k in ("uses", "run")):
                found.append(f"{job_name} step {number}: {str(step.get('name') or step.get('uses'))[:80]}")
    return found


@rule("CS-003", title="Security scanning in the CI/CD pipeline", source=SEED, severity=Severity.HIGH,
      passes="A step of the CI workflow VisionSpace generates for the service runs an image scanner (trivy, grype, "
             f"snyk, docker scout…), or the service declares the scanner its own pipeline runs with `{SCAN_ANNOTATION}`.",
      fix=f"Scan every image before it is pushed (e.g. aquasecurity/trivy-action) and, if the service is built "
          f"outside VisionSpace's workflow, record it on the service: annotation `{SCAN_ANNOTATION}: trivy`.")
def security_scanning(ctx: ScanContext) -> RuleOutcome:
    declared = _annotation(ctx, SCAN_ANNOTATION)
    if declared in SCANNERS:
        return passed(f"{SCAN_ANNOTATION}: {declared} (the service's own pipeline scans its images).")
    workflow = ctx.workflow
    steps = scan_steps(workflow.text) if workflow.text else []
    if steps:
        return passed(f"The generated CI workflow scans the image ({steps[0]}).")
    if declared:
        return failed(f"{SCAN_ANNOTATION}: {declared!r} is not a scanner this rule knows "
                      f"({', '.join(sorted(SCANNERS))}).")
    if workflow.error:
        return unknown(f"{workflow.error[:1].upper()}{workflow.error[1:]}; set {SCAN_ANNOTATION} if the service's "
                       "pipeline scans images.")
    if workflow.available:
        return failed("The generated CI workflow has no image scan step, and the service declares no scanner.")
    return failed(f"No image scan is on record: the service has no {SCAN_ANNOTATION} annotation "
                  "(and this VisionSpace has no workflow renderer to check).")


@rule("CS-004", title="Encrypted communication", source=SEED, severity=Severity.HIGH,
      passes="No environment value (container spec or Dockerfile ENV/ARG) and no component URL points at another "
             "host over an unencrypted scheme (http, ws, redis, amqp, mqtt, ftp). Loopback addresses are allowed.",
      fix="Use https://, wss://, rediss://, amqps:// … for everything that leaves the container.")
def encrypted_communication(ctx: ScanContext) -> RuleOutcome:
    if ctx.spec is None and ctx.dockerfile is None:
        return unknown(NO_SPEC)
    problems: list[tuple[int | None, str]] = []
    checked = 0
    env = ctx.spec.env if ctx.spec is not None and isinstance(ctx.spec.env, dict) else {}
    for name, value in env.items():
        checked += 1
        for url in plaintext_urls(str(value)):
            problems.append((None, f"container spec env {name} points at {url}"))
    if ctx.dockerfile is not None:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword not in {"ENV", "ARG"}:
                continue
            try:
                pairs = key_values(instruction)
            except ValueError:
                continue  # CS-010 reports unreadable ENV/ARG lines
            for name, value in pairs:
                checked += 1
                for url in plaintext_urls(value):
                    problems.append((instruction.line, f"{instruction.keyword} {name} points at {url}"))
    if ctx.service.component_url:
        checked += 1
        for url in plaintext_urls(ctx.service.component_url):
            problems.append((None, f"the component URL points at {url}"))
    if problems:
        return failed_items(problems)
    scope = "" if ctx.dockerfile is not None else " (no Dockerfile on record: only the spec was checked)"
    return passed(f"{checked} value(s) checked; no unencrypted URLs{scope}.")


@rule("CS-005", title="OAuth2 authentication for all endpoints", source=SEED, severity=Severity.HIGH,
      passes=f"A service that listens on a port declares `{AUTH_ANNOTATION}: oauth2` (or `oidc`): every endpoint "
             "sits behind OAuth2, e.g. oauth2-proxy, Cloud Run IAM or an OIDC-checking gateway.",
      fix=f"Put the service behind OAuth2 and record it on the service: annotation `{AUTH_ANNOTATION}: oauth2`.")
def oauth_endpoints(ctx: ScanContext) -> RuleOutcome:
    if ctx.spec is None:
        return unknown(NO_SPEC)
    if not ctx.spec.ports and not ctx.service.component_url:
        return not_applicable("The service declares no ports and no component URL: no endpoints to protect.")
    declared = _annotation(ctx, AUTH_ANNOTATION)
    if declared in AUTH_VALUES:
        return passed(f"{AUTH_ANNOTATION}: {declared}")
    if declared:
        return failed(f"{AUTH_ANNOTATION}: {declared!r} is not OAuth2; use oauth2 or oidc.")
    return failed(f"No {AUTH_ANNOTATION} annotation: nothing records that the service's endpoints need OAuth2.")


@rule("CS-007", title="Image reference is not latest", source="dockle DKL-DI-0006",
      severity=Severity.HIGH,
      passes="The container spec names its image by digest, or by a tag other than latest.",
      fix="Deploy an immutable tag (the commit SHA or a release version) or a digest, never latest.")
def image_not_latest(ctx: ScanContext) -> RuleOutcome:
    if ctx.spec is None:
        return unknown(NO_SPEC)
    spec = ctx.spec
    if spec.digest:
        return passed(f"{spec.image_ref} (pinned by digest)")
    if not spec.tag:
        return failed(f"{spec.image} has no tag, which means latest.")
    if spec.tag.lower() == "latest":
        return failed(f"{spec.image_ref}: latest changes under a running service and cannot be rolled back to.")
    return passed(spec.image_ref)


@rule("CS-012", title="Resource limits set", source="CIS Docker 5.10 (memory), 5.11 (CPU)", severity=Severity.HIGH,
      passes="The container spec sets both a CPU limit (e.g. 2 or 500m) and a memory limit (e.g. 4Gi).",
      fix="Set cpu and memory on the container spec, e.g. cpu 1 and memory 512Mi.")
def resource_limits(ctx: ScanContext) -> RuleOutcome:
    if ctx.spec is None:
        return unknown(NO_SPEC)
    problems = []
    for label, value, pattern in (("cpu", ctx.spec.cpu, CPU), ("memory", ctx.spec.memory, MEMORY)):
        if not value:
            problems.append((None, f"no {label} limit"))
        elif not pattern.match(value) or not re.search(r"[1-9]", value):
            problems.append((None, f"{label} {value!r} is not a positive quantity"))
    if problems:
        return failed_items(problems)
    return passed(f"cpu {ctx.spec.cpu}, memory {ctx.spec.memory}")
