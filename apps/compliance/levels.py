"""From rule outcomes to a level and a score.

* gold: every applicable rule passes;
* silver: every critical and high rule passes;
* bronze: every critical rule passes;
* none: a critical rule fails or is unknown.

``unknown`` never counts as passed; ``not_applicable`` is left out of the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from apps.catalog.models import ComplianceLevel

from .models import Severity, Status


@dataclass(frozen=True)
class Grade:
    level: ComplianceLevel
    score: int  # 0–100, rounded down so that 100 means everything passed
    passed: int
    applicable: int


def grade(outcomes: Iterable[tuple[str, str]]) -> Grade:
    """``outcomes``: (severity, status) per rule."""
    outcomes = [(Severity(severity), Status(status)) for severity, status in outcomes]
    applicable = [(sev, status) for sev, status in outcomes if status != Status.NOT_APPLICABLE]
    passed = sum(1 for _, status in applicable if status == Status.PASS)

    def all_pass(severities: set[Severity]) -> bool:
        return all(status == Status.PASS for sev, status in applicable if sev in severities)

    if not applicable:
        level = ComplianceLevel.NONE
    elif passed == len(applicable):
        level = ComplianceLevel.GOLD
    elif all_pass({Severity.CRITICAL, Severity.HIGH}):
        level = ComplianceLevel.SILVER
    elif all_pass({Severity.CRITICAL}):
        level = ComplianceLevel.BRONZE
    else:
        level = ComplianceLevel.NONE
    score = passed * 100 // len(applicable) if applicable else 0
    return Grade(level=level, score=score, passed=passed, applicable=len(applicable))
