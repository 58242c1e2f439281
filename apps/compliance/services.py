"""Writes: scanning a service or the fleet against every rule."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction

from apps.catalog.models import Service

from .context import scan_context_build, scan_inputs_sha256
from .levels import grade
from .models import ComplianceScan, RuleResult, Trigger
from .rules import rule_run, rules_all, rules_fingerprint
from .selectors import FleetScorecard, fleet_scorecard

Progress = Callable[[int, int, Service, ComplianceScan], None]


def compliance_scan(*, service: Service, trigger: str) -> ComplianceScan:
    """Run every rule against the service as it is now, keep the results as its latest scan
    and copy level and score onto the service.

    A ``change`` scan whose inputs equal the latest scan's returns that scan unchanged (saves
    that touch nothing the rules read cost two queries). Raises HadolintUnavailable when
    hadolint is not installed: a scan without it would understate the Dockerfile's problems.
    """
    trigger = Trigger(trigger)
    started = time.monotonic()
    caller_copy = service
    service = Service.objects.select_related("container").get(pk=service.pk)
    inputs = scan_inputs_sha256(service=service, rules_fingerprint=rules_fingerprint())
    if trigger == Trigger.CHANGE:
        latest = ComplianceScan.objects.filter(service=service, latest=True).first()
        if latest is not None and latest.inputs_sha256 == inputs:
            return latest

    ctx = scan_context_build(service=service)
    results = [(rule, rule_run(rule, ctx)) for rule in rules_all()]
    result = grade((rule.severity, outcome.status) for rule, outcome in results)

    with transaction.atomic():
        # Serialises concurrent scans of one service (PostgreSQL; SQLite serialises writers anyway).
        list(Service.objects.select_for_update().filter(pk=service.pk).values_list("pk"))
        ComplianceScan.objects.filter(service=service, latest=True).update(latest=False)
        scan = ComplianceScan.objects.create(
            service=service, trigger=trigger, latest=True,
            dockerfile_sha256=ctx.dockerfile.sha256 if ctx.dockerfile else "", inputs_sha256=inputs,
            level=result.level, score=result.score, passed=result.passed, applicable=result.applicable,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        RuleResult.objects.bulk_create([
            RuleResult(scan=scan, rule_id=rule.id, title=rule.title, severity=rule.severity, source=rule.source,
                       status=outcome.status, evidence=outcome.evidence, line=outcome.line)
            for rule, outcome in results
        ])
        # update(), not save(): a save would fire post_save and enqueue another scan.
        Service.objects.filter(pk=service.pk).update(compliance_level=result.level, compliance_score=result.score)
    caller_copy.compliance_level, caller_copy.compliance_score = result.level, result.score
    return scan


def compliance_scan_fleet(*, trigger: str, progress: Progress | None = None) -> FleetScorecard:
    services = list(Service.objects.filter(orphaned=False).order_by("slug"))
    for number, service in enumerate(services, start=1):
        scan = compliance_scan(service=service, trigger=trigger)
        if progress is not None:
            progress(number, len(services), service, scan)
    return fleet_scorecard()
