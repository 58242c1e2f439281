"""``fleet_overview``: how many services, in which state, category and compliance level.

data: {"total", "by_status": {status: n}, "by_category": {category: n}, "levels": {level: n}}
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
    status_label,
    tone,
)
from .typography import line_height, lines_draw, text_wrap

MAX_ROWS = 6


def _counts(*, value: object) -> list[tuple[str, float]]:
    """A {name: n} mapping as (name, n) pairs, largest first; anything not a count is dropped."""
    if not isinstance(value, dict):
        return []
    pairs = [(str(name), number_parse(value=n)) for name, n in value.items()]
    return sorted(((name, n) for name, n in pairs if n is not None and n >= 0), key=lambda pair: -pair[1])


def draw(*, scene: Scene, size: tuple[int, int]) -> Image.Image:
    data = scene.data
    frame = frame_new(size=size, title=scene.title)
    px, box = frame.px, frame.content
    by_status = _counts(value=data.get("by_status"))
    total = number_parse(value=data.get("total"))
    if total is None:
        total = sum(n for _, n in by_status)

    big = frame.face(200, bold=True)
    total_text = number_format(value=total)
    total_lines = text_wrap(text=total_text, face=big, max_width=box.width * 0.3, max_lines=1)
    y = lines_draw(draw=frame.draw, lines=total_lines, face=big, x=box.left, y=box.top - px(30), width=box.width * 0.3,
                   fill=PALETTE["accent"])
    frame.draw.text((box.left + px(6), y - px(10)), "services", font=frame.face(44), fill=PALETTE["muted"])

    bar_left, bar_top = box.left + round(box.width * 0.33), box.top + px(20)
    bar = Box(left=bar_left, top=bar_top, right=box.right, bottom=bar_top + px(64))
    _stacked_bar_draw(frame=frame, box=bar, parts=by_status, total=sum(n for _, n in by_status))
    _legend_draw(frame=frame, box=Box(left=bar_left, top=bar.bottom + px(24), right=box.right, bottom=bar.bottom + px(200)),
                 parts=by_status)

    lower_top = box.top + px(330)
    half = (box.width - px(32)) // 2
    for index, (heading, parts, coloured) in enumerate((
        ("By category", _counts(value=data.get("by_category")), False),
        ("Compliance levels", _counts(value=data.get("levels")), True),
    )):
        panel = Box(left=box.left + index * (half + px(32)), top=lower_top, right=box.left + index * (half + px(32)) + half,
                    bottom=box.bottom)
        panel_draw(frame=frame, box=panel)
        _rows_draw(frame=frame, box=panel, heading=heading, parts=parts, coloured=coloured)
    return frame.image


def _stacked_bar_draw(*, frame, box: Box, parts: list[tuple[str, float]], total: float) -> None:
    frame.draw.rounded_rectangle((box.left, box.top, box.right, box.bottom), radius=frame.px(12), fill=PALETTE["panel_2"])
    if total <= 0:
        return
    x = float(box.left)
    for name, n in parts:
        width = box.width * n / total
        if width >= 1:
            frame.draw.rectangle((x, box.top, x + width, box.bottom), fill=tone(status=name))
        x += width


def _legend_draw(*, frame, box: Box, parts: list[tuple[str, float]]) -> None:
    face = frame.face(34)
    px = frame.px
    x, y = box.left, box.top
    step = line_height(face=face) + px(12)
    for name, n in parts[:MAX_ROWS]:
        text = f"{status_label(value=name)}  {number_format(value=n)}"
        lines = text_wrap(text=text, face=face, max_width=box.width / 2 - px(60), max_lines=1)
        width = face.getlength(lines[0]) if lines else 0
        if x + px(40) + width > box.right:
            x, y = box.left, y + step
        if y + step > box.bottom:
            break
        dot = px(22)
        frame.draw.ellipse((x, y + px(8), x + dot, y + px(8) + dot), fill=tone(status=name))
        lines_draw(draw=frame.draw, lines=lines, face=face, x=x + dot + px(12), y=y, width=width + 1, fill=PALETTE["text"])
        x += dot + px(12) + width + px(44)


def _rows_draw(*, frame, box: Box, heading: str, parts: list[tuple[str, float]], coloured: bool) -> None:
    px = frame.px
    inner = Box(left=box.left + px(40), top=box.top + px(32), right=box.right - px(40), bottom=box.bottom - px(24))
    head = frame.face(36, bold=True)
    frame.draw.text((inner.left, inner.top), heading, font=head, fill=PALETTE["muted"])
    face, value_face = frame.face(38), frame.face(38, bold=True)
    step = line_height(face=face) + px(10)
    y = inner.top + line_height(face=head) + px(18)
    shown = parts[:MAX_ROWS]
    if len(parts) > MAX_ROWS:
        shown = parts[: MAX_ROWS - 1]
        shown.append((f"{len(parts) - len(shown)} more", sum(n for _, n in parts[len(shown):])))
    for name, n in shown:
        if y + step > inner.bottom:
            break
        value = number_format(value=n)
        value_width = value_face.getlength(value)
        lines = text_wrap(text=status_label(value=name), face=face, max_width=inner.width - value_width - px(24), max_lines=1)
        lines_draw(draw=frame.draw, lines=lines, face=face, x=inner.left, y=y, width=inner.width - value_width,
                   fill=tone(status=name) if coloured else PALETTE["text"])
        frame.draw.text((inner.right - value_width, y), value, font=value_face, fill=PALETTE["text"])
        y += step
