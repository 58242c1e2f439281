"""Compliance scans: one row per scan of one service, one row per rule it ran.

History is kept; the scan marked ``latest`` is the one that shows. Rule title, severity
and source are copied into each result so that old scans still read correctly after the
rule registry changes.
"""

from __future__ import annotations

from django.db import models

from apps.catalog.models import ComplianceLevel, Service


class Trigger(models.TextChoices):
    CHANGE = "change", "Service or container spec changed"
    NIGHTLY = "nightly", "Nightly rescan"
    MANUAL = "manual", "Started by a person"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"


class Status(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    UNKNOWN = "unknown", "Unknown"


class ComplianceScan(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="compliance_scans")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    latest = models.BooleanField(default=True, help_text="The scan that shows for its service.")
    dockerfile_sha256 = models.CharField(max_length=64, blank=True, help_text="Empty when no Dockerfile was on record.")
    inputs_sha256 = models.CharField(
        max_length=64, help_text="Everything the rules read; a change scan with the same inputs is not repeated."
    )
    level = models.CharField(max_length=10, choices=ComplianceLevel.choices)
    score = models.PositiveSmallIntegerField(help_text="Per cent of applicable rules passed (rounded down).")
    passed = models.PositiveSmallIntegerField()
    applicable = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"], condition=models.Q(latest=True), name="compliance_one_latest_scan_per_service"
            ),
        ]
        indexes = [models.Index(fields=["service", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.service.slug}: {self.level} {self.score}% ({self.get_trigger_display().lower()})"


class RuleResult(models.Model):
    scan = models.ForeignKey(ComplianceScan, on_delete=models.CASCADE, related_name="results")
    rule_id = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    source = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices)
    evidence = models.TextField()
    line = models.PositiveIntegerField(null=True, blank=True, help_text="Dockerfile line (1-based), when one is to blame.")

    class Meta:
        ordering = ["rule_id"]
        constraints = [models.UniqueConstraint(fields=["scan", "rule_id"], name="compliance_one_result_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.status}"
