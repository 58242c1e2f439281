"""The planner: a request ("show me the flight memory system status") → a Storyboard.

Deterministic and offline: an intent grammar over the catalogue (grammar.py, lexicon.py),
then builders that read the catalogue (builders.py). A request it cannot map raises
PlanRefused("I can't show that yet — … Try …") with suggestions that work. docs/planner.md.
"""

from __future__ import annotations

from datetime import datetime

from ..storyboard import PlanRefused, Storyboard
from .builders import storyboard_build
from .grammar import Unplannable, intent_parse, wake_word_strip
from .intents import Intent, Scope
from .lexicon import lexicon_current
from .refusals import REFUSAL_START, refusal_for
from .text import MAX_REQUEST_CHARS, request_tokens
from .vocabulary import Vocabulary, planner_vocabulary

__all__ = [
    "REFUSAL_START", "Intent", "PlanRefused", "Scope", "Vocabulary", "intent_plan", "planner_vocabulary",
    "storyboard_from_intent", "storyboard_plan",
]


def intent_plan(*, request: str) -> Intent:
    """What the request means, or PlanRefused. Reads only the catalogue's names."""
    lexicon = lexicon_current()
    text = request if isinstance(request, str) else ""
    try:
        if len(text) > MAX_REQUEST_CHARS:
            raise Unplannable(f"a request can be at most {MAX_REQUEST_CHARS} characters long", kind="too_long")
        tokens = wake_word_strip(request_tokens(text))
        if not tokens:
            raise Unplannable("I didn't catch a request", kind="empty")
        return intent_parse(tokens, lexicon)
    except Unplannable as problem:
        raise refusal_for(problem=problem, lexicon=lexicon) from None


def storyboard_from_intent(*, intent: Intent, request: str, now: datetime | None = None) -> Storyboard:
    """The storyboard for an intent, from whichever planner made it; PlanRefused when it names a
    service the catalogue does not have."""
    try:
        return storyboard_build(intent=intent, request=request, now=now)
    except Unplannable as problem:
        raise refusal_for(problem=problem, lexicon=lexicon_current()) from None


def storyboard_plan(*, request: str, now: datetime | None = None) -> Storyboard:
    """The storyboard for a request, or PlanRefused. ``now`` pins the health charts' window (tests)."""
    intent = intent_plan(request=request)
    return storyboard_from_intent(intent=intent, request=request.strip(), now=now)
