"""The example in "Sorry, I didn't catch that — try “…”.": a request the planner accepts, about
a real service in the catalogue, that the spoken grammar can hear (words only, no digits)."""

from __future__ import annotations

from apps.studio.planner import planner_vocabulary

FALLBACK = "show the fleet overview"


def refusal_example() -> str:
    examples = planner_vocabulary().examples
    for example in examples:
        if all(word.isalpha() for word in example.split()):
            return example
    return FALLBACK
