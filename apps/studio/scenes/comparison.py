"""``comparison``: one metric across services as horizontal bars.

data: {"metric", "unit"?, "items": [{"label", "value"}]}
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, frame_new, number_format, number_parse
from .typography import line_height, lines_draw, text_clean, text_wrap

MAX_BARS = 8


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content
    unit = text_clean(data.get("unit"), limit=20)
    metric = text_clean(data.get("metric"), limit=80)
    caption_face = frame.face(36)
    top = lines_draw(draw=frame.draw, lines=text_wrap(text=f"{metric} ({unit})" if metric and unit else metric,
                                                      face=caption_face, max_width=box.width, max_lines=1),
                     face=caption_face, x=box.left, y=box.top, width=box.width, fill=PALETTE["muted"]) + px(16)
    bars_draw(frame=frame, items=data.get("items"), unit=unit, top=top)
    return frame.image


def bars_draw(*, frame, items: object, unit: str = "", top: float | None = None) -> None:
    """Labelled horizontal bars scaled to the largest value; shared with ``component``'s bars layout."""
    px, box = frame.px, frame.content
    rows = [item for item in (items if isinstance(items, (list, tuple)) else []) if isinstance(item, dict)]
    shown, hidden = rows[:MAX_BARS], max(0, len(rows) - MAX_BARS)
    top = box.top if top is None else top
    if not shown:
        return
    face, value_face = frame.face(38), frame.face(38, bold=True)
    slot = min(px(96), (box.bottom - top - (px(48) if hidden else 0)) / len(shown))
    values = [number_parse(value=row.get("value")) for row in shown]
    peak = max([v for v in values if v is not None and v > 0], default=1.0)
    label_width = box.width * 0.28
    value_width = box.width * 0.16
    track = box.width - label_width - value_width - px(32)
    for index, (row, value) in enumerate(zip(shown, values)):
        y = top + index * slot
        middle = y + slot / 2
        label_lines = text_wrap(text=row.get("label"), face=face, max_width=label_width - px(24), max_lines=1)
        lines_draw(draw=frame.draw, lines=label_lines, face=face, x=box.left, y=middle - line_height(face=face) / 2,
                   width=label_width - px(24), fill=PALETTE["text"])
        left = box.left + label_width
        thickness = min(px(52), slot * 0.62)
        frame.draw.rounded_rectangle((left, middle - thickness / 2, left + track, middle + thickness / 2),
                                     radius=px(8), fill=PALETTE["panel_2"])
        if value is not None and value > 0:
            length = max(px(8), track * min(value / peak, 1.0))
            frame.draw.rounded_rectangle((left, middle - thickness / 2, left + length, middle + thickness / 2),
                                         radius=px(8), fill=PALETTE["accent"])
        shown_value = number_format(value=value) if value is not None else text_clean(row.get("value"), limit=20) or "—"
        text = f"{shown_value} {unit}".strip()
        lines_draw(draw=frame.draw, lines=text_wrap(text=text, face=value_face, max_width=value_width, max_lines=1),
                   face=value_face, x=box.right - value_width, y=middle - line_height(face=value_face) / 2,
                   width=value_width, fill=PALETTE["text"], align="end")
    if hidden:
        note = frame.face(32)
        frame.draw.text((box.left, top + len(shown) * slot + px(8)), f"+{hidden} more", font=note, fill=PALETTE["muted"])
