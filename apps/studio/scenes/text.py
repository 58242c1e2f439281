"""``text``: a heading and a few lines. data: {"heading", "lines": [str]}"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, frame_new
from .typography import line_height, lines_draw, text_clean, text_wrap

MAX_LINES = 6


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    frame = frame_new(size=size, title=scene.data.get("heading") or scene.title)
    lines_block_draw(frame=frame, lines=scene.data.get("lines"))
    return frame.image


def lines_block_draw(*, frame, lines: object, size: float = 48) -> None:
    """Bulleted lines, each wrapped to two lines at most, as many as fit the content area."""
    items = [text_clean(line) for line in (lines if isinstance(lines, (list, tuple)) else [])][:MAX_LINES * 2]
    items = [item for item in items if item]
    px, box = frame.px, frame.content
    face = frame.face(size)
    step = line_height(face=face)
    bullet, indent = px(14), px(56)
    y = box.top
    for item in items:
        wrapped = text_wrap(text=item, face=face, max_width=box.width - indent, max_lines=2)
        if y + step * len(wrapped) > box.bottom:
            break
        middle = y + step / 2
        frame.draw.ellipse((box.left, middle - bullet / 2, box.left + bullet, middle + bullet / 2), fill=PALETTE["accent"])
        y = lines_draw(draw=frame.draw, lines=wrapped, face=face, x=box.left + indent, y=y, width=box.width - indent,
                       fill=PALETTE["text"]) + px(22)
