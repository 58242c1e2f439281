"""The stage frame every scene draws on: the product's palette, a heading, the brand mark,
and the few shapes scenes share (panels, status pills, key/value rows).

Designed at 1920×1080 and scaled by ``u`` (1.0 at 1080p, 2.0 at 2160p), so a scene reads
the same on a 4K wall as on a laptop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .typography import (
    font,
    line_height,
    lines_draw,
    text_clean,
    text_fit,
    text_width,
    text_wrap,
)

RGB = tuple[int, int, int]

# static/css/site.css
PALETTE: dict[str, RGB] = {
    "bg": (0x05, 0x07, 0x0B),
    "panel": (0x11, 0x17, 0x22),
    "panel_2": (0x1A, 0x22, 0x30),
    "border": (0x26, 0x31, 0x42),
    "text": (0xF4, 0xF7, 0xFB),
    "muted": (0xC3, 0xCC, 0xD9),
    "accent": (0x5C, 0xC8, 0xFF),
    "ok": (0x5B, 0xE3, 0x7D),
    "warn": (0xFF, 0xCC, 0x4D),
    "bad": (0xFF, 0x6B, 0x6B),
}

# Status words from the catalogue, compliance, probes and deployments, by meaning.
_TONES = {
    "ok": {"containerised", "containerized", "up", "pass", "passed", "ok", "healthy", "running", "succeeded",
           "success", "done", "deployed", "applied", "ready", "live", "gold", "production"},
    "warn": {"needs_containerisation", "stale", "pending", "queued", "planned", "in_progress", "progressing",
             "partial", "degraded", "warning", "warn", "bronze", "experimental", "integration_needed", "high",
             "medium", "rolling_back"},
    "bad": {"down", "fail", "failed", "error", "errored", "critical", "none", "unhealthy", "rolled_back",
            "deprecated", "cancelled"},
    "accent": {"silver"},
}

DESIGN_WIDTH, DESIGN_HEIGHT = 1920, 1080
MARGIN = 96


def tone(*, status: object) -> RGB:
    """The palette colour for a status word ("up", "fail", "gold"...); muted when unknown."""
    word = text_clean(status, limit=40).lower().replace(" ", "_").replace("-", "_")
    for name, words in _TONES.items():
        if word in words:
            return PALETTE[name]
    return PALETTE["muted"]


def status_label(*, value: object) -> str:
    """A status or key as people read it: "needs_containerisation" → "needs containerisation"."""
    return text_clean(value, limit=60).replace("_", " ")


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True)
class Frame:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    u: float
    content: Box  # below the heading, above the brand mark

    def px(self, design_pixels: float) -> int:
        return max(1, round(design_pixels * self.u))

    def face(self, design_size: float, *, bold: bool = False, mono: bool = False):
        return font(size=self.px(design_size), bold=bold, mono=mono)


def frame_new(*, size: tuple[int, int], title: object, show_title: bool = True) -> Frame:
    width, height = size
    image = Image.new("RGB", (width, height), PALETTE["bg"])
    draw = ImageDraw.Draw(image)
    u = min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)
    margin = round(MARGIN * u)
    top = round(72 * u)
    if show_title:
        face, lines = text_fit(text=text_clean(title), max_width=width - 2 * margin, max_lines=1,
                               sizes=tuple(round(s * u) for s in (64, 56, 48, 40)), bold=True)
        bottom = lines_draw(draw=draw, lines=lines, face=face, x=margin, y=top, width=width - 2 * margin,
                            fill=PALETTE["text"])
        bar_top = bottom + round(10 * u)
        draw.rectangle((margin, bar_top, margin + round(120 * u), bar_top + round(8 * u)), fill=PALETTE["accent"])
        top = bar_top + round(48 * u)
    _brand_draw(draw=draw, u=u, x=margin, y=height - round(84 * u))
    content = Box(left=margin, top=top, right=width - margin, bottom=height - round(104 * u))
    return Frame(image=image, draw=draw, u=u, content=content)


def _brand_draw(*, draw: ImageDraw.ImageDraw, u: float, x: int, y: int) -> None:
    face = font(size=round(28 * u), bold=True)
    draw.text((x, y), "Vision", font=face, fill=PALETTE["muted"])
    draw.text((x + text_width(text="Vision", face=face), y), "Space", font=face, fill=PALETTE["accent"])


def panel_draw(*, frame: Frame, box: Box, fill: RGB | None = None) -> None:
    frame.draw.rounded_rectangle(
        (box.left, box.top, box.right, box.bottom), radius=frame.px(18), fill=fill or PALETTE["panel"],
        outline=PALETTE["border"], width=frame.px(2),
    )


def pill_draw(*, frame: Frame, x: float, y: float, text: object, colour: RGB, size: float = 36,
              max_width: float | None = None) -> int:
    """A rounded status badge: a coloured dot and the word. Returns its width in pixels."""
    face = frame.face(size, bold=True)
    pad, dot = frame.px(size * 0.55), frame.px(size * 0.45)
    limit = (max_width or frame.image.width) - 3 * pad - dot
    lines = text_wrap(text=status_label(value=text) or "unknown", face=face, max_width=max(limit, 1), max_lines=1)
    word = lines[0] if lines else ""
    height = line_height(face=face) + frame.px(size * 0.4)
    width = round(3 * pad + dot + text_width(text=word, face=face))
    frame.draw.rounded_rectangle((x, y, x + width, y + height), radius=height // 2, fill=PALETTE["panel_2"],
                                 outline=colour, width=frame.px(3))
    middle = y + height / 2
    frame.draw.ellipse((x + pad, middle - dot / 2, x + pad + dot, middle + dot / 2), fill=colour)
    frame.draw.text((x + 2 * pad + dot, middle), word, font=face, fill=PALETTE["text"], anchor="lm")
    return width


def key_values_draw(*, frame: Frame, box: Box, rows: list[tuple[str, object, RGB]], size: float = 40) -> None:
    """Rows of "key   value" inside ``box``; values wrap to one line each and truncate."""
    key_face, value_face = frame.face(size * 0.8), frame.face(size, bold=True)
    step = max(line_height(face=value_face), line_height(face=key_face)) + frame.px(22)
    key_width = box.width * 0.36
    y = box.top
    for key, value, colour in rows:
        if y + step > box.bottom + frame.px(22):
            break
        key_lines = text_wrap(text=key, face=key_face, max_width=key_width - frame.px(16), max_lines=1)
        lines_draw(draw=frame.draw, lines=key_lines, face=key_face, x=box.left, y=y + frame.px(size * 0.12),
                   width=key_width, fill=PALETTE["muted"])
        value_lines = text_wrap(text=text_clean(value) or "—", face=value_face, max_width=box.width - key_width,
                                max_lines=1)
        lines_draw(draw=frame.draw, lines=value_lines, face=value_face, x=box.left + key_width, y=y,
                   width=box.width - key_width, fill=colour)
        y += step


def centred_note_draw(*, frame: Frame, text: str, colour: RGB | None = None) -> None:
    """A single muted sentence in the middle of the content area (empty states)."""
    box = frame.content
    face, lines = text_fit(text=text, max_width=box.width, max_lines=2, sizes=(frame.px(56), frame.px(44)))
    total = line_height(face=face) * len(lines)
    lines_draw(draw=frame.draw, lines=lines, face=face, x=box.left, y=box.top + (box.height - total) / 2,
               width=box.width, fill=colour or PALETTE["muted"], align="centre")


def number_parse(*, value: object) -> float | None:
    """A finite float from a number or numeric string, else None (data is never trusted)."""
    if isinstance(value, bool):
        return None
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def number_format(*, value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
