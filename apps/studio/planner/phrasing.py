"""Narration: short plain sentences from catalogue fields, bounded, and how long each takes to say."""

from __future__ import annotations

from .text import number_spoken

MAX_NARRATION_CHARS = 220
MAX_NAME_CHARS = 60  # a catalogue name is up to 200 characters; narration says at most this much
MAX_LINE_CHARS = 120
SECONDS_PER_WORD = 0.4  # about 150 words a minute, the pace of Piper's default voices
MIN_SCENE_S, MAX_SCENE_S, MAX_STORYBOARD_S = 2.0, 6.0, 30.0


def clipped(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def said(name: str) -> str:
    return clipped(name, MAX_NAME_CHARS)


def narration(*sentences: str) -> str:
    return clipped(" ".join(s for s in sentences if s), MAX_NARRATION_CHARS)


def scene_seconds(text: str, *, minimum: float = MIN_SCENE_S) -> float:
    return round(min(MAX_SCENE_S, max(minimum, 1.0 + SECONDS_PER_WORD * len(text.split()))), 1)


def fitted(durations: list[float]) -> list[float]:
    """Shrink durations in proportion so that they add up to at most 30 s (each stays ≥ 2 s)."""
    total = sum(durations)
    if total <= MAX_STORYBOARD_S:
        return durations
    factor = MAX_STORYBOARD_S / total
    out = [max(MIN_SCENE_S, int(d * factor * 10) / 10) for d in durations]
    while sum(out) > MAX_STORYBOARD_S + 1e-9:  # the 2 s floor can leave a tenth or two over
        longest = out.index(max(out))
        out[longest] = round(out[longest] - 0.1, 1)
    return out


def listed(items: list[str], *, limit: int = 4, last: str = "and") -> str:
    """"A, B and C" — or "A, B, C and 5 others" past ``limit``."""
    items = [said(i) for i in items]
    if len(items) > limit:
        rest = len(items) - (limit - 1)
        items = [*items[: limit - 1], f"{number_spoken(rest)} others"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    return f"{number_spoken(n)} {singular if n == 1 else (plural or singular + 's')}"


def percent(value: float | int | None) -> str:
    if value is None:
        return "no data"
    value = round(float(value), 1)
    return f"{int(value) if value == int(value) else value} percent"


def hours_said(hours: int) -> str:
    if hours % 168 == 0:
        return "the last week" if hours == 168 else f"the last {number_spoken(hours // 168)} weeks"
    if hours % 24 == 0:
        return "the last 24 hours" if hours == 24 else f"the last {number_spoken(hours // 24)} days"
    return "the last hour" if hours == 1 else f"the last {number_spoken(hours)} hours"
