"""The grammar's own words: everything the planner understands that is not a name from the
catalogue. Each phrase maps to a tag; the lexicon adds the catalogue's names to these.

Kinds of tag:
  filler         politeness and glue ("please", "can you", "show me", "the")
  topic          what to show: status, compliance, health, deployments, explain, replicas, max/min instances
  compare        compare / rank several services
  rank           "top"/"best" (highest first) or "worst"/"least" (lowest first)
  unit           hour / day / week / month, in hours
  range          a whole time range in one phrase ("today"), in hours
  fleet          the whole fleet ("everything", "the fleet", "all")
  noun           "services", "containers": a group noun, the fleet when nothing narrows it
  category       a catalogue category ("the VLS solutions")
  status_filter  a containerisation status ("that need containerisation")
  level_filter   a compliance level ("gold", "not compliant")
  refused        a verb that changes things; the stage only shows
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from apps.catalog.models import Category, ComplianceLevel, ContainerStatus


@dataclass(frozen=True)
class Tag:
    kind: str
    value: object = None


def _each(kind: str, value, *phrases: str) -> dict[str, Tag]:
    return {phrase: Tag(kind, value) for phrase in phrases}


FILLER_PHRASES = (
    "a", "an", "the", "me", "us", "please", "can", "could", "would", "will", "you", "i", "id", "im", "want",
    "wanna", "to", "see", "like", "let", "lets", "look", "at", "what", "is", "are", "was", "were", "how", "which",
    "who", "doing", "do", "does", "did", "of", "for", "on", "in", "about", "its", "it", "their", "them", "they",
    "there", "that", "those", "these", "this", "hey", "ok", "now", "right", "currently", "current", "give", "get",
    "put", "up", "pull", "bring", "just", "quick", "quickly", "some", "and", "with", "or", "between", "by",
    "over", "last", "past", "during", "within", "from", "across", "has", "have", "had", "run", "running", "runs",
    "still", "yet", "already", "any", "much", "many", "number", "my", "our", "your", "whole", "entire", "each",
    "be", "being", "been", "screen", "stage", "big", "video", "make", "tell", "info", "information", "details",
    "detail", "latest", "recent", "recently", "so", "far", "also", "too", "then", "thanks", "thank", "hello", "hi",
    "containerisation", "containerising", "here", "where", "go", "page", "pull up", "bring up",
    "kind", "kinds", "sort of", "as", "well", "than", "more", "when", "its own",
)

TOPIC_PHRASES = {
    **_each("topic", "show", "show", "display", "view", "open", "summary", "card", "service card"),
    **_each("topic", "status", "status", "state", "status card", "how is", "how are"),
    **_each("topic", "compliance", "compliance", "compliant", "compliance score", "compliance level", "score",
            "scores", "scorecard", "score card", "security rules", "rules", "level", "levels", "grade",
            "security", "container security", "failing rules"),
    **_each("topic", "health", "health", "healthy", "uptime", "up time", "availability", "available", "probes",
            "health check", "health checks", "health chart", "history of health"),
    **_each("topic", "deployments", "deployments", "deployment", "deployed", "deploy history", "deployment history",
            "releases", "release", "release history", "revisions", "revision", "rollouts", "rollout"),
    **_each("topic", "explain", "explain", "describe", "description", "tell me about", "what does", "how does",
            "purpose", "dependencies", "dependency", "depends on", "depend on", "depends", "used by", "relations",
            "relationships", "what is it for", "works"),
    **_each("topic", "replicas", "replicas", "replica", "replica count", "instances", "instance count"),
    **_each("topic", "max_instances", "max instances", "maximum instances", "max scale", "instance limit"),
    **_each("topic", "min_instances", "min instances", "minimum instances", "min scale"),
}

OTHER_PHRASES = {
    **_each("compare", None, "compare", "comparison", "compared", "versus", "against", "side by side", "rank",
            "ranking", "ranked", "rankings", "leaderboard", "sort", "sorted"),
    **_each("rank", "desc", "top", "best", "highest", "most", "biggest", "largest", "leading", "strongest"),
    **_each("rank", "asc", "worst", "lowest", "least", "bottom", "fewest", "smallest", "weakest"),
    **_each("unit", 1, "hour", "hours"),
    **_each("unit", 24, "day", "days"),
    **_each("unit", 168, "week", "weeks"),
    **_each("unit", 720, "month", "months"),
    **_each("range", 24, "today", "so far today"),
    **_each("range", 168, "this week"),
    **_each("fleet", None, "fleet", "fleet overview", "overview", "everything", "all", "every", "the lot",
            "the whole fleet", "big picture"),
    **_each("noun", None, "services", "service", "containers", "container", "solutions", "solution", "apps",
            "applications", "systems", "ones", "components"),
    **_each("category", Category.VLS.value, "vls", "vls solution", "vls solutions", "vls services", "vls service"),
    **_each("category", Category.DIAMOND_CLI.value, "diamond cli", "diamond cli solution", "diamond cli solutions",
            "diamond", "diamond solutions", "cli solutions", "diamond cli services"),
    **_each("category", Category.INTEGRATION.value, "integration", "integrations", "integration container",
            "integration containers", "integration services", "integration service"),
    **_each("status_filter", ContainerStatus.NEEDS_CONTAINERISATION.value, "need containerisation",
            "needs containerisation", "needing containerisation", "to containerise", "to be containerised",
            "not containerised", "not yet containerised", "uncontainerised", "containerise",
            "waiting for containerisation"),
    **_each("status_filter", ContainerStatus.CONTAINERISED.value, "containerised", "are containerised"),
    **_each("status_filter", ContainerStatus.INTEGRATION_NEEDED.value, "integration needed", "need integration",
            "needs integration", "needing integration", "to integrate", "to be integrated"),
    **_each("level_filter", ComplianceLevel.GOLD.value, "gold"),
    **_each("level_filter", ComplianceLevel.SILVER.value, "silver"),
    **_each("level_filter", ComplianceLevel.BRONZE.value, "bronze"),
    **_each("level_filter", ComplianceLevel.NONE.value, "not compliant", "non compliant", "noncompliant",
            "uncompliant", "not yet compliant"),
}

# The stage only shows things; these ask it to change something.
REFUSED_VERBS = (
    "delete", "remove", "destroy", "drop", "kill", "stop", "restart", "reboot", "shutdown", "shut down",
    "turn off", "deploy", "redeploy", "rollback", "roll back", "scale", "scale up", "scale down", "rotate", "revoke",
    "wipe", "erase", "purge", "terminate", "disable", "enable", "update", "change", "edit", "modify", "rename",
    "create", "add", "insert", "truncate", "reset", "upgrade", "downgrade", "install", "uninstall", "execute",
    "exec", "launch", "start", "pause", "suspend", "migrate", "set", "alter", "grant access", "approve",
)

WAKE_WORDS = ("visionspace", "vision space")
# After a bare leading "VisionSpace", one of these means it was the wake word, not the hub.
COMMAND_STARTS = frozenset({
    "show", "display", "compare", "what", "which", "how", "can", "could", "would", "please", "i", "give", "tell",
    "explain", "describe", "list", "put", "open", "let", "lets", "top", "is", "are", "pull", "bring", "rank",
    "make", "id", "hey", "ok", "now", *REFUSED_VERBS,
})


@functools.cache
def grammar_phrases() -> dict[tuple[str, ...], Tag]:
    """Every grammar phrase as tokens → its tag. Later tables win over fillers on a clash.
    Shared: callers copy it before adding to it."""
    table: dict[tuple[str, ...], Tag] = {}
    for phrase in FILLER_PHRASES:
        table[tuple(phrase.split())] = Tag("filler")
    for phrase, tag in {**TOPIC_PHRASES, **OTHER_PHRASES}.items():
        table[tuple(phrase.split())] = tag
    for verb in REFUSED_VERBS:
        table[tuple(verb.split())] = Tag("refused", verb)
    return table
