"""What a request means, before any catalogue data is read: the grammar's output and the
builders' input. An LLM planner would produce one of these too (docs/planner.md)."""

from __future__ import annotations

from dataclasses import dataclass

SHAPES = ("service", "compare", "fleet", "group", "ranking")
TOPICS = ("status", "compliance", "health", "deployments", "explain")
METRICS = ("compliance", "uptime", "replicas", "max_instances", "min_instances")

MAX_COMPARED = 4  # services in one comparison by name
MAX_RANKED = 10  # items in one ranking
DEFAULT_RANKED = 5
DEFAULT_HOURS = 24
MAX_HOURS = 30 * 24


@dataclass(frozen=True)
class Scope:
    """Which services a fleet-wide request covers; nothing set means the whole fleet.
    Within a field values are alternatives (VLS or Diamond CLI); fields narrow each other."""

    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()

    @property
    def is_fleet(self) -> bool:
        return not (self.categories or self.statuses or self.levels or self.systems)


@dataclass(frozen=True)
class Intent:
    """
    shape    service: one service; compare: 2–4 named services; fleet: the whole fleet;
             group: the services in a scope, listed; ranking: the top/bottom N by a metric
    topics   what to show, in the order asked (service, compare, fleet, group)
    metric   what a comparison or ranking measures
    """

    shape: str
    topics: tuple[str, ...] = ("status",)
    slugs: tuple[str, ...] = ()
    scope: Scope = Scope()
    metric: str = "compliance"
    count: int = DEFAULT_RANKED
    descending: bool = True
    hours: int = DEFAULT_HOURS

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"Unknown shape {self.shape!r}: use one of {', '.join(SHAPES)}.")
        if not self.topics or any(t not in TOPICS for t in self.topics):
            raise ValueError(f"Topics must be some of {', '.join(TOPICS)}, not {self.topics!r}.")
        if self.metric not in METRICS:
            raise ValueError(f"Unknown metric {self.metric!r}: use one of {', '.join(METRICS)}.")
        if not 1 <= self.hours <= MAX_HOURS:
            raise ValueError(f"A time range is 1–{MAX_HOURS} hours, not {self.hours}.")
        if not 1 <= self.count <= MAX_RANKED:
            raise ValueError(f"A ranking holds 1–{MAX_RANKED} services, not {self.count}.")
        wanted = {"service": (1, 1), "compare": (2, MAX_COMPARED)}.get(self.shape, (0, 0))
        if not wanted[0] <= len(self.slugs) <= wanted[1]:
            raise ValueError(f"A {self.shape} intent names {wanted[0]}–{wanted[1]} services, not {len(self.slugs)}.")
