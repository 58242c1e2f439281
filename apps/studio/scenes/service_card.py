"""``service_card``: one service at a glance.

data: {"slug", "name", "purpose", "status", "image", "replicas", "region", "compliance_level", "health"}
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import (
    PALETTE,
    Box,
    frame_new,
    key_values_draw,
    panel_draw,
    pill_draw,
    status_label,
    tone,
)
from .typography import lines_draw, text_clean, text_fit, text_wrap


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content
    split = box.left + round(box.width * 0.5)

    left = Box(left=box.left, top=box.top, right=split - px(24), bottom=box.bottom)
    panel_draw(frame=frame, box=left)
    inner = left.width - 2 * px(48)
    x, y = left.left + px(48), left.top + px(44)
    name = text_clean(data.get("name")) or text_clean(data.get("slug")) or "Unnamed service"
    name_face, name_lines = text_fit(text=name, max_width=inner, max_lines=2, sizes=(px(72), px(60), px(50)), bold=True)
    y = lines_draw(draw=frame.draw, lines=name_lines, face=name_face, x=x, y=y, width=inner, fill=PALETTE["text"])
    slug_face = frame.face(32, mono=True)
    y = lines_draw(draw=frame.draw, lines=text_wrap(text=data.get("slug"), face=slug_face, max_width=inner, max_lines=1),
                   face=slug_face, x=x, y=y + px(6), width=inner, fill=PALETTE["accent"])
    pill_draw(frame=frame, x=x, y=y + px(24), text=data.get("status"), colour=tone(status=data.get("status")), size=36,
              max_width=inner)
    purpose_face = frame.face(38)
    purpose_top = y + px(120)
    room = max(0, (left.bottom - px(40) - purpose_top) // max(1, purpose_face.size + px(8)))
    lines_draw(draw=frame.draw, lines=text_wrap(text=data.get("purpose"), face=purpose_face, max_width=inner,
                                                max_lines=min(5, room)),
               face=purpose_face, x=x, y=purpose_top, width=inner, fill=PALETTE["muted"])

    right = Box(left=split + px(24), top=box.top, right=box.right, bottom=box.bottom)
    panel_draw(frame=frame, box=right)
    level, health = data.get("compliance_level"), data.get("health")
    rows = [
        ("Health", status_label(value=health) or "unknown", tone(status=health)),
        ("Compliance", status_label(value=level) or "unknown", tone(status=level)),
        ("Replicas", data.get("replicas"), PALETTE["text"]),
        ("Region", data.get("region"), PALETTE["text"]),
        ("Image", data.get("image"), PALETTE["text"]),
    ]
    key_values_draw(frame=frame, box=Box(left=right.left + px(48), top=right.top + px(48), right=right.right - px(48),
                                         bottom=right.bottom - px(40)), rows=rows, size=44)
    return frame.image
