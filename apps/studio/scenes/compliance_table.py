"""``compliance_table``: a service's compliance level, score and rule results.

data: {"service", "level", "score", "rows": [{"rule_id", "title", "status", "evidence"}]}
"""

from __future__ import annotations

from PIL import Image

from ..storyboard import Scene
from .canvas import (
    PALETTE,
    Box,
    frame_new,
    number_format,
    number_parse,
    panel_draw,
    pill_draw,
    status_label,
    tone,
)
from .typography import line_height, lines_draw, text_clean, text_wrap

MAX_ROWS = 7


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content

    score = number_parse(value=data.get("score"))
    score_text = f"{number_format(value=score)}%" if score is not None else "—"
    score_face = frame.face(96, bold=True)
    frame.draw.text((box.left, box.top - px(20)), score_text, font=score_face, fill=PALETTE["text"])
    x = box.left + score_face.getlength(score_text) + px(40)
    level = data.get("level")
    width = pill_draw(frame=frame, x=x, y=box.top + px(10), text=f"{status_label(value=level) or 'no'} level",
                      colour=tone(status=level), size=38, max_width=box.width * 0.35)
    service_face = frame.face(40)
    service_left = x + width + px(32)
    lines_draw(draw=frame.draw, lines=text_wrap(text=data.get("service"), face=service_face,
                                                max_width=box.right - service_left, max_lines=1),
               face=service_face, x=service_left, y=box.top + px(16), width=box.right - service_left,
               fill=PALETTE["muted"])

    table = Box(left=box.left, top=box.top + px(130), right=box.right, bottom=box.bottom)
    panel_draw(frame=frame, box=table)
    rows = [row for row in (data.get("rows") if isinstance(data.get("rows"), list) else []) if isinstance(row, dict)]
    _rows_draw(frame=frame, box=table, rows=rows)
    return frame.image


def _rows_draw(*, frame, box: Box, rows: list[dict]) -> None:
    px = frame.px
    inner = Box(left=box.left + px(32), top=box.top + px(20), right=box.right - px(32), bottom=box.bottom - px(16))
    title_face, id_face, evidence_face = frame.face(36, bold=True), frame.face(30, mono=True), frame.face(28)
    step = line_height(face=title_face) + line_height(face=evidence_face) + px(14)
    fits = max(0, int(inner.height // step))
    shown = rows[: min(MAX_ROWS, fits)]
    hidden = len(rows) - len(shown)
    if hidden and shown:
        shown = shown[:-1]
        hidden += 1
    status_width, id_width = inner.width * 0.19, inner.width * 0.14
    y = inner.top
    for row in shown:
        status = row.get("status")
        pill_draw(frame=frame, x=inner.left, y=y + px(4), text=status, colour=tone(status=status), size=24,
                  max_width=status_width - px(16))
        lines_draw(draw=frame.draw, lines=text_wrap(text=row.get("rule_id"), face=id_face, max_width=id_width - px(16),
                                                    max_lines=1),
                   face=id_face, x=inner.left + status_width, y=y + px(6), width=id_width, fill=PALETTE["accent"])
        left = inner.left + status_width + id_width
        width = inner.right - left
        after = lines_draw(draw=frame.draw, lines=text_wrap(text=row.get("title"), face=title_face, max_width=width,
                                                            max_lines=1),
                           face=title_face, x=left, y=y, width=width, fill=PALETTE["text"])
        lines_draw(draw=frame.draw, lines=text_wrap(text=row.get("evidence"), face=evidence_face, max_width=width,
                                                    max_lines=1),
                   face=evidence_face, x=left, y=after, width=width, fill=PALETTE["muted"])
        y += step
    if not rows:
        frame.draw.text((inner.left, inner.top), "No rules checked yet.", font=title_face, fill=PALETTE["muted"])
    elif hidden:
        frame.draw.text((inner.left, y + px(4)), text_clean(f"+{hidden} more rules"), font=evidence_face,
                        fill=PALETTE["muted"])
