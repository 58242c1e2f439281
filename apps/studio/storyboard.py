"""The storyboard: what the planner hands the renderer. Plain data, JSON-serialisable.

A storyboard is a sequence of scenes; each scene is drawn once (a still frame, or a few
for its transition), held for ``duration_s`` and narrated by ``narration`` (which is
also its caption). ``data`` holds what the scene's component draws, taken from the
catalogue by the planner (or returned by a service's component_url).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The built-in scene components (apps/studio/scenes/<kind>.py draws each).
SCENE_KINDS = (
    "title",             # data: {"heading", "subheading"?}
    "service_card",      # data: {"slug", "name", "purpose", "status", "image", "replicas", "region", "compliance_level", "health"}
    "fleet_overview",    # data: {"total", "by_status": {status: n}, "by_category": {category: n}, "levels": {level: n}}
    "comparison",        # data: {"metric", "unit"?, "items": [{"label", "value"}]}
    "deployments",       # data: {"service", "events": [{"at", "label", "state"}]}  (empty until deployments land)
    "compliance_table",  # data: {"service", "level", "score", "rows": [{"rule_id", "title", "status", "evidence"}]}
    "health_chart",      # data: {"service", "status", "uptime_percent", "buckets": [float|None]}
    "text",              # data: {"heading", "lines": [str]}
    "component",         # data: a scene a service's component_url returned (docs/components.md)
)


@dataclass(frozen=True)
class Scene:
    kind: str
    title: str
    narration: str
    duration_s: float
    data: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in SCENE_KINDS:
            raise ValueError(f"Unknown scene kind {self.kind!r}: use one of {', '.join(SCENE_KINDS)}.")
        if not 0.5 <= self.duration_s <= 30:
            raise ValueError(f"A scene lasts 0.5–30 s, not {self.duration_s}.")


@dataclass(frozen=True)
class Storyboard:
    request: str
    summary: str
    scenes: tuple[Scene, ...]

    @property
    def duration_s(self) -> float:
        return sum(scene.duration_s for scene in self.scenes)

    def to_dict(self) -> dict:
        return {"request": self.request, "summary": self.summary, "scenes": [asdict(s) for s in self.scenes]}

    @classmethod
    def from_dict(cls, data: dict) -> "Storyboard":
        return cls(request=data["request"], summary=data["summary"], scenes=tuple(Scene(**s) for s in data["scenes"]))


class PlanRefused(Exception):
    """The request maps to nothing we can show. ``message`` says so; ``suggestions`` are requests that would work."""

    def __init__(self, message: str, suggestions: list[str]):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions
