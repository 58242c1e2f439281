"""Scene components: one module per storyboard scene kind, each ``draw(*, scene, size) -> Image``.

Every scene is drawn once as a still (the renderer holds it on screen), in the product's
palette, with DejaVu fonts, large enough to read across a room.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from ..storyboard import SCENE_KINDS, Scene
from . import (
    comparison,
    compliance_table,
    component,
    deployments,
    fleet_overview,
    health_chart,
    service_card,
    text,
    title,
)
from .typography import FontsMissing

SCENE_DRAWERS: dict[str, Callable[..., Image.Image]] = {
    "title": title.draw,
    "service_card": service_card.draw,
    "fleet_overview": fleet_overview.draw,
    "comparison": comparison.draw,
    "deployments": deployments.draw,
    "compliance_table": compliance_table.draw,
    "health_chart": health_chart.draw,
    "text": text.draw,
    "component": component.draw,
}
assert set(SCENE_DRAWERS) == set(SCENE_KINDS), "every storyboard scene kind needs a component"


def scene_draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    """The scene as one RGB still of ``size`` (width, height)."""
    image = SCENE_DRAWERS[scene.kind](scene=scene, size=size)
    if image.size != tuple(size) or image.mode != "RGB":
        raise ValueError(f"The {scene.kind} component drew a {image.mode} {image.size} image, not RGB {tuple(size)}.")
    return image


__all__ = ["SCENE_DRAWERS", "FontsMissing", "scene_draw"]
