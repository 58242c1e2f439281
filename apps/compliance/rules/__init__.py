"""The rule registry. A rule is a function from a ScanContext to an outcome with evidence.

Rules that read the Dockerfile are declared with ``needs_dockerfile=True``; for a service
without one they are ``unknown`` (which never counts as passed) with the reason.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..context import ScanContext
from ..models import Severity, Status

logger = logging.getLogger(__name__)

# Bump when a rule's logic changes without its id, title or severity changing, so that
# "change" scans do not reuse a result the old logic produced.
RULES_REVISION = 1
MAX_EVIDENCE_ITEMS = 20


@dataclass(frozen=True)
class RuleOutcome:
    status: Status
    evidence: str
    line: int | None = None


def passed(evidence: str, line: int | None = None) -> RuleOutcome:
    return RuleOutcome(Status.PASS, evidence, line)


def failed(evidence: str, line: int | None = None) -> RuleOutcome:
    return RuleOutcome(Status.FAIL, evidence, line)


def unknown(evidence: str) -> RuleOutcome:
    return RuleOutcome(Status.UNKNOWN, evidence)


def not_applicable(evidence: str) -> RuleOutcome:
    return RuleOutcome(Status.NOT_APPLICABLE, evidence)


def failed_items(items: list[tuple[int | None, str]], *, fix: str = "") -> RuleOutcome:
    """One failure listing every offending item (``line N: …``); the first line is the one to show."""
    shown = [f"line {line}: {text}" if line else text for line, text in items[:MAX_EVIDENCE_ITEMS]]
    if len(items) > MAX_EVIDENCE_ITEMS:
        shown.append(f"… and {len(items) - MAX_EVIDENCE_ITEMS} more")
    lines = [line for line, _ in items if line]
    return failed("\n".join(shown) + (f"\n{fix}" if fix else ""), lines[0] if lines else None)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    severity: Severity
    passes: str  # what passes, in a sentence
    fix: str  # what to do when it fails
    check: Callable[[ScanContext], RuleOutcome]
    needs_dockerfile: bool = False


REGISTRY: dict[str, Rule] = {}


def rule(id: str, *, title: str, source: str, severity: Severity, passes: str, fix: str, needs_dockerfile: bool = False):
    def register(check: Callable[[ScanContext], RuleOutcome]) -> Callable[[ScanContext], RuleOutcome]:
        if id in REGISTRY:
            raise ValueError(f"rule {id} is registered twice")
        REGISTRY[id] = Rule(id, title, source, severity, passes, fix, check, needs_dockerfile)
        return check

    return register


def rules_all() -> list[Rule]:
    return sorted(REGISTRY.values(), key=lambda r: r.id)


def rules_fingerprint() -> str:
    described = [RULES_REVISION, *[(r.id, r.title, str(r.severity)) for r in rules_all()]]
    return hashlib.sha256(repr(described).encode()).hexdigest()


def rule_run(rule: Rule, ctx: ScanContext) -> RuleOutcome:
    if rule.needs_dockerfile and ctx.dockerfile is None:
        return unknown(ctx.dockerfile_missing)
    try:
        return rule.check(ctx)
    except Exception as exc:  # one broken rule must not hide the other results
        logger.exception("rule %s failed on %s", rule.id, ctx.service.slug)
        return unknown(f"The rule could not run ({type(exc).__name__}: {exc}); this is a bug in VisionSpace.")


from . import dockerfile_rules, platform_rules  # noqa: E402,F401  (registers the rules)
