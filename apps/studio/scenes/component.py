"""``component``: a scene a catalogued service returned from its component_url.

data: the validated answer (apps/studio/component_scene.schema.json): {"title", "layout": "text" |
"metrics" | "bars", "lines"?, "metrics"?: [{"label", "value", "unit"?}], "bars"?: [{"label", "value"}]}.
Its text comes from another service, so it gets exactly the same fitting as ours.
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, Box, frame_new, number_format, number_parse, panel_draw
from .comparison import bars_draw
from .text import lines_block_draw
from .typography import lines_draw, text_clean, text_fit, text_wrap

MAX_METRICS = 6


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=data.get("title") or scene.title)
    layout = data.get("layout")
    if layout == "metrics":
        _metrics_draw(frame=frame, metrics=data.get("metrics"))
    elif layout == "bars":
        bars_draw(frame=frame, items=data.get("bars"))
    else:
        lines_block_draw(frame=frame, lines=data.get("lines"))
    return frame.image


def _metrics_draw(*, frame, metrics: object) -> None:
    items = [m for m in (metrics if isinstance(metrics, list) else []) if isinstance(m, dict)][:MAX_METRICS]
    if not items:
        return
    px, box = frame.px, frame.content
    columns = 3 if len(items) > 4 else 2 if len(items) > 1 else 1
    rows = (len(items) + columns - 1) // columns
    gap = px(32)
    width = (box.width - gap * (columns - 1)) / columns
    height = min(px(300), (box.height - gap * (rows - 1)) / rows)
    for index, metric in enumerate(items):
        left = box.left + (index % columns) * (width + gap)
        top = box.top + (index // columns) * (height + gap)
        tile = Box(left=round(left), top=round(top), right=round(left + width), bottom=round(top + height))
        panel_draw(frame=frame, box=tile)
        inner = tile.width - 2 * px(36)
        value = number_parse(value=metric.get("value"))
        shown = number_format(value=value) if value is not None else text_clean(metric.get("value"), limit=40)
        unit = text_clean(metric.get("unit"), limit=20)
        face, lines = text_fit(text=f"{shown} {unit}".strip() or "—", max_width=inner, max_lines=1,
                               sizes=tuple(px(s) for s in (96, 80, 64, 52, 44)), bold=True)
        y = lines_draw(draw=frame.draw, lines=lines, face=face, x=tile.left + px(36), y=tile.top + px(28), width=inner,
                       fill=PALETTE["accent"])
        label_face = frame.face(36)
        lines_draw(draw=frame.draw, lines=text_wrap(text=metric.get("label"), face=label_face, max_width=inner,
                                                    max_lines=2),
                   face=label_face, x=tile.left + px(36), y=y + px(8), width=inner, fill=PALETTE["muted"])
