"""The clear refusal: "I can't show that yet — <why>. Try "…", "…" or "…"." Suggestions are
requests built from the catalogue that the planner does accept (tests hold it to that)."""

from __future__ import annotations

from ..storyboard import PlanRefused
from .grammar import Unplannable
from .lexicon import Lexicon

REFUSAL_START = "I can't show that yet"
FLEET_REQUESTS = ("show the fleet overview", "which services need containerisation", "top 5 services by compliance")


def refusal_for(*, problem: Unplannable, lexicon: Lexicon) -> PlanRefused:
    suggestions = suggestions_for(lexicon=lexicon, focus=problem.focus, topic=problem.topic)
    tries = ", ".join(f'"{s}"' for s in suggestions[:-1]) + f' or "{suggestions[-1]}"'
    return PlanRefused(f"{REFUSAL_START} — {problem.reason}. Try {tries}.", suggestions)


def suggestions_for(*, lexicon: Lexicon, focus: tuple[str, ...] = (), topic: str | None = None) -> list[str]:
    """Three requests that work, about the service(s) in focus when there are any."""
    focused = [s for slug in focus if (s := lexicon.spoken(slug))]
    if len(focused) >= 2:
        a, b = focused[:2]
        return [f"show me the {a} status", f"show me the {b} status", f"compare {a} and {b}"]
    if focused:
        a = focused[0]
        return [f"show me the {a} status", f"show the {a} compliance", f"show the {a} health over the last 24 hours"]
    known = []
    for service in lexicon.services:
        if (spoken := lexicon.spoken(service.slug)) is not None:
            known.append((service.slug, spoken))
        if len(known) == 2:
            break
    if not known:
        return list(FLEET_REQUESTS)
    (first_slug, a), b = known[0], (known[1][1] if len(known) > 1 else None)
    by_topic = {
        "compliance": [f"show the {a} compliance", "show the fleet compliance", "top 5 services by compliance"],
        "health": [f"show the {a} health over the last 24 hours", "show the fleet health", "top 5 services by uptime"],
        "deployments": [f"show the {a} deployments", "show the fleet deployments", "show the fleet overview"],
        "explain": [f"explain {a}", "explain the fleet", "show the fleet overview"],
    }
    if topic in by_topic:
        return by_topic[topic]
    purpose = lexicon.purpose_phrase(first_slug) or a
    second = f"compare {a} and {b}" if b else f"show the {a} compliance"
    return [f"show me the {purpose} status", second, "show the fleet overview"]
