"""Fonts and text fitting for scene components: every string is measured, wrapped and
truncated to its box, and drawn as plain text (nothing in it is interpreted)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    (False, False): "DejaVuSans.ttf",
    (True, False): "DejaVuSans-Bold.ttf",
    (False, True): "DejaVuSansMono.ttf",
    (True, True): "DejaVuSansMono-Bold.ttf",
}
ELLIPSIS = "…"
# Longer input is cut before layout: nothing on a stage needs more, and measuring is per word.
TEXT_LIMIT = 400


class FontsMissing(RuntimeError):
    pass


@lru_cache(maxsize=256)
def font(*, size: int, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / FONT_FILES[(bold, mono)]
    if not path.is_file():
        raise FontsMissing(
            f"Scene font {path} is missing: install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)."
        )
    return ImageFont.truetype(str(path), size=max(1, size))


def text_clean(value: object, *, limit: int = TEXT_LIMIT) -> str:
    """Any value as one line of text: control characters become spaces, runs of space collapse."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text[: limit * 4]
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    # Lone surrogates cannot be encoded for FreeType; drop them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


def text_width(*, text: str, face: ImageFont.FreeTypeFont) -> float:
    return face.getlength(text) if text else 0.0


def text_is_rtl(*, text: str) -> bool:
    """True when the first strongly directional character is right-to-left (Hebrew, Arabic...)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _prefix_fitting(*, text: str, face: ImageFont.FreeTypeFont, max_width: float) -> int:
    """Length of the longest prefix of ``text`` no wider than ``max_width`` (at least 1)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text=text[:middle], face=face) <= max_width:
            low = middle
        else:
            high = middle - 1
    return low


def _ellipsize(*, text: str, face: ImageFont.FreeTypeFont, max_width: float) -> str:
    budget = max_width - text_width(text=ELLIPSIS, face=face)
    if budget < 0:
        return ""
    text = text.rstrip().removesuffix(ELLIPSIS)
    if text and text_width(text=text, face=face) > budget:
        text = text[: _prefix_fitting(text=text, face=face, max_width=budget)]
    while text and text_width(text=text.rstrip() + ELLIPSIS, face=face) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _wrap(*, text: str, face: ImageFont.FreeTypeFont, max_width: float, max_lines: int) -> tuple[list[str], bool]:
    text = text_clean(text)
    if not text or max_lines < 1 or max_width < 1:
        return [], bool(text)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if text_width(text=candidate, face=face) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(text=word, face=face) > max_width and len(lines) <= max_lines:
            cut = _prefix_fitting(text=word, face=face, max_width=max_width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
        if len(lines) > max_lines:
            break
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    lines = lines[:max_lines]
    lines[-1] = _ellipsize(text=lines[-1], face=face, max_width=max_width)
    return lines, True


def text_wrap(*, text: str, face: ImageFont.FreeTypeFont, max_width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, each no wider than ``max_width``.

    Words wider than a line are broken by characters; text that does not fit ends in "…".
    """
    return _wrap(text=text, face=face, max_width=max_width, max_lines=max_lines)[0]


def text_fit(
    *, text: str, max_width: float, max_lines: int, sizes: tuple[int, ...], bold: bool = False, mono: bool = False
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest of ``sizes`` (largest first) at which ``text`` fits whole; else the smallest, truncated."""
    for size in sizes:
        face = font(size=size, bold=bold, mono=mono)
        lines, truncated = _wrap(text=text, face=face, max_width=max_width, max_lines=max_lines)
        if not truncated:
            break
    return face, lines


def line_height(*, face: ImageFont.FreeTypeFont) -> int:
    ascent, descent = face.getmetrics()
    return round((ascent + descent) * 1.12)


def lines_draw(
    *,
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    face: ImageFont.FreeTypeFont,
    x: float,
    y: float,
    width: float,
    fill: tuple[int, int, int],
    align: str = "start",
) -> float:
    """Draw ``lines`` top-down from (x, y); returns the y below the last line.

    ``align``: "start" (left, or right for right-to-left text), "centre" or "end".
    """
    step = line_height(face=face)
    for line in lines:
        w = text_width(text=line, face=face)
        if align == "centre":
            left = x + (width - w) / 2
        elif (align == "end") != text_is_rtl(text=line):
            left = x + width - w
        else:
            left = x
        draw.text((left, y), line, font=face, fill=fill)
        y += step
    return y
