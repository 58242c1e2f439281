"""Spoken number rules, each bounded by what the planner accepts where it is said: a ranking
shows 1–10 services, a time range is at most 30 days (planner.intents.MAX_HOURS)."""

from __future__ import annotations

from apps.studio.planner.intents import MAX_HOURS, MAX_RANKED
from apps.studio.planner.text import NUMBER_TENS, NUMBER_UNITS

UNITS = {value: word for word, value in NUMBER_UNITS.items()}
TENS = {value: word for word, value in NUMBER_TENS.items()}


def number_words(n: int) -> str:
    """1..99 as a recogniser hears it: "twenty four"."""
    if n < 20:
        return UNITS[n]
    tens, unit = divmod(n, 10)
    return TENS[tens * 10] + (f" {UNITS[unit]}" if unit else "")


def _rule(name: str, top: int) -> str:
    return f"<{name}> = " + " | ".join(number_words(n) for n in range(1, top + 1)) + ";"


def numbers_rule() -> str:
    return "\n".join([
        _rule("count", MAX_RANKED),
        _rule("hours", min(99, MAX_HOURS)),
        _rule("days", min(99, MAX_HOURS // 24)),
        _rule("weeks", min(99, MAX_HOURS // (24 * 7))),
    ])
