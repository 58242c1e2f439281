"""``title``: the opening card. data: {"heading", "subheading"?}"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import PALETTE, frame_new
from .typography import line_height, lines_draw, text_clean, text_fit


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    frame = frame_new(size=size, title="", show_title=False)
    px, box = frame.px, frame.content
    heading = text_clean(scene.data.get("heading")) or text_clean(scene.title)
    width = box.width - 2 * px(64)
    head_face, head_lines = text_fit(text=heading, max_width=width, max_lines=2, sizes=tuple(px(s) for s in (128, 112, 96, 80)),
                                     bold=True)
    sub_face, sub_lines = text_fit(text=text_clean(scene.data.get("subheading")), max_width=width, max_lines=2,
                                   sizes=(px(56), px(48)))
    gap = px(56)
    total = line_height(face=head_face) * len(head_lines) + (gap + line_height(face=sub_face) * len(sub_lines) if sub_lines else 0)
    y = (frame.image.height - total) / 2 - px(20)
    x = box.left + px(64)
    y = lines_draw(draw=frame.draw, lines=head_lines, face=head_face, x=x, y=y, width=width, fill=PALETTE["text"],
                   align="centre")
    bar = px(180)
    middle = frame.image.width / 2
    frame.draw.rectangle((middle - bar / 2, y + gap / 2 - px(5), middle + bar / 2, y + gap / 2 + px(5)), fill=PALETTE["accent"])
    if sub_lines:
        lines_draw(draw=frame.draw, lines=sub_lines, face=sub_face, x=x, y=y + gap, width=width, fill=PALETTE["muted"],
                   align="centre")
    return frame.image
