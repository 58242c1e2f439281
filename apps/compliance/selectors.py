"""Reads: a service's scorecard (its latest scan) and the fleet's.

``scorecard_for`` costs two queries and ``fleet_scorecard`` three, whatever the fleet size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Sum

from apps.catalog.models import ComplianceLevel, Service

from .models import ComplianceScan, RuleResult, Severity, Status

SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2}


@dataclass(frozen=True)
class ScorecardRow:
    rule_id: str
    title: str
    severity: str  # critical | high | medium
    source: str  # where the rule comes from: "seed: Container Security", "CIS Docker 4.1", …
    status: str  # pass | fail | not_applicable | unknown
    evidence: str  # what was seen; several lines when several things are wrong
    line: int | None  # the Dockerfile line to look at, if any
    fix: str  # what to do when it is not passing

    @property
    def passed(self) -> bool:
        return self.status == Status.PASS


@dataclass(frozen=True)
class Scorecard:
    service_slug: str
    scanned: bool  # False: never scanned, and everything below is empty
    level: str  # gold | silver | bronze | none
    score: int  # 0–100: passed / applicable rules
    passed: int = 0
    applicable: int = 0
    scanned_at: datetime | None = None
    trigger: str = ""  # change | nightly | manual
    dockerfile_sha256: str = ""
    results: tuple[ScorecardRow, ...] = ()  # most severe first, then by rule id

    @property
    def failing(self) -> tuple[ScorecardRow, ...]:
        """Rows that keep the service from gold: failed or unknown."""
        return tuple(r for r in self.results if r.status in {Status.FAIL, Status.UNKNOWN})


@dataclass(frozen=True)
class FleetRuleRow:
    rule_id: str
    title: str
    severity: str
    passed: int  # services whose latest scan passes this rule
    failed: int
    unknown: int
    not_applicable: int


@dataclass(frozen=True)
class FleetScorecard:
    services_total: int
    services_scanned: int
    levels: dict[str, int]  # every level, gold to none, with its number of services
    score: int  # mean of the services' scores (a never-scanned service counts as 0)
    last_scanned_at: datetime | None = None
    rules: tuple[FleetRuleRow, ...] = field(default=())


def _fix(rule_id: str) -> str:
    from .rules import REGISTRY

    rule = REGISTRY.get(rule_id)
    return rule.fix if rule else ""


def scorecard_for(*, service: Service) -> Scorecard:
    scan = ComplianceScan.objects.filter(service_id=service.pk, latest=True).first()
    if scan is None:
        return Scorecard(service_slug=service.slug, scanned=False, level=ComplianceLevel.NONE, score=0)
    rows = [
        ScorecardRow(rule_id=r.rule_id, title=r.title, severity=r.severity, source=r.source, status=r.status,
                     evidence=r.evidence, line=r.line, fix=_fix(r.rule_id))
        for r in RuleResult.objects.filter(scan=scan)
    ]
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.rule_id))
    return Scorecard(
        service_slug=service.slug, scanned=True, level=scan.level, score=scan.score, passed=scan.passed,
        applicable=scan.applicable, scanned_at=scan.created_at, trigger=scan.trigger,
        dockerfile_sha256=scan.dockerfile_sha256, results=tuple(rows),
    )


def fleet_scorecard() -> FleetScorecard:
    services = Service.objects.filter(orphaned=False)
    levels = {level.value: 0 for level in reversed(ComplianceLevel)}
    total = score_sum = 0
    for row in services.values("compliance_level").annotate(n=Count("id"), s=Sum("compliance_score")):
        levels[row["compliance_level"]] = levels.get(row["compliance_level"], 0) + row["n"]
        total += row["n"]
        score_sum += row["s"] or 0
    latest = ComplianceScan.objects.filter(latest=True, service__orphaned=False)
    scanned = latest.aggregate(n=Count("id"), last=Max("created_at"))
    per_rule: dict[str, dict] = {}
    for row in (RuleResult.objects.filter(scan__in=latest).values("rule_id", "title", "severity", "status")
                .annotate(n=Count("id")).order_by("rule_id")):
        entry = per_rule.setdefault(row["rule_id"], {"title": row["title"], "severity": row["severity"]})
        entry[row["status"]] = entry.get(row["status"], 0) + row["n"]
    rules = tuple(
        FleetRuleRow(rule_id=rule_id, title=e["title"], severity=e["severity"], passed=e.get(Status.PASS, 0),
                     failed=e.get(Status.FAIL, 0), unknown=e.get(Status.UNKNOWN, 0),
                     not_applicable=e.get(Status.NOT_APPLICABLE, 0))
        for rule_id, e in sorted(per_rule.items(), key=lambda kv: (SEVERITY_ORDER.get(kv[1]["severity"], 9), kv[0]))
    )
    return FleetScorecard(
        services_total=total, services_scanned=scanned["n"], levels=levels,
        score=score_sum // total if total else 0, last_scanned_at=scanned["last"], rules=rules,
    )
