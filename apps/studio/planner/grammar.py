"""Intent parsing: tokens → tagged phrases (longest match against the lexicon) → Intent.

Word order barely matters ("dr lucy status" = "status of dr lucy"): the tags say what was
asked. Every word must be understood; a request with a word the planner does not know is
refused, never guessed at (docs/planner.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .intents import DEFAULT_HOURS, DEFAULT_RANKED, MAX_COMPARED, MAX_HOURS, MAX_RANKED, Intent, Scope
from .lexicon import Lexicon
from .text import number_at, number_spoken
from .words import COMMAND_STARTS, Tag

METRIC_OF_TOPIC = {"compliance": "compliance", "health": "uptime", "replicas": "replicas",
                   "max_instances": "max_instances", "min_instances": "min_instances"}
SIZE_TOPICS = frozenset({"replicas", "max_instances", "min_instances"})  # shown on a service card
MAX_ECHOED_WORDS = 3
MAX_ECHOED_CHARS = 24


@dataclass(frozen=True)
class Tagged:
    tag: Tag
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(eq=False)
class Unplannable(Exception):
    """Why a request maps to nothing; ``focus`` and ``topic`` steer the suggestions."""

    reason: str
    focus: tuple[str, ...] = ()
    topic: str | None = None
    kind: str = "unknown"


@dataclass
class _Heard:
    slugs: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    compare: bool = False
    rank: str | None = None
    fleet: bool = False
    noun: bool = False
    categories: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    ranges: list[int] = field(default_factory=list)

    def add(self, items: list, value) -> None:
        if value not in items:
            items.append(value)


def wake_word_strip(tokens: list[str]) -> list[str]:
    """Drop "hey VisionSpace" / "VisionSpace, show …": a leading VisionSpace is the wake word
    after "hey"/"ok" or before a command word; otherwise it names the hub ("visionspace status")."""
    greeted = bool(tokens) and tokens[0] in {"hey", "ok"}
    rest = tokens[1:] if greeted else tokens
    for wake in (["visionspace"], ["vision", "space"]):
        if rest[: len(wake)] == wake:
            after = rest[len(wake):]
            if greeted or (after and after[0] in COMMAND_STARTS):
                return after
    return tokens


def request_tag(tokens: list[str], lexicon: Lexicon) -> list[Tagged]:
    """Split the tokens into known phrases, numbers and unknown words: the split with the fewest
    unknown words, then the fewest pieces (longer phrases), then the longest phrase first.
    "dr lucy flight memory system" → [dr lucy] [flight memory system], not [dr lucy flight memory] [system]."""
    n = len(tokens)
    best: list[tuple[tuple[int, int], Tagged | None]] = [((0, 0), None)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for length in range(min(lexicon.longest, n - i), 0, -1):
            tag = lexicon.phrases.get(tuple(tokens[i: i + length]))
            if tag is not None:
                options.append(Tagged(tag, tuple(tokens[i: i + length])))
        number = number_at(tokens, i)
        if number is not None:
            options.append(Tagged(Tag("number", number[0]), tuple(tokens[i: i + number[1]])))
        if not options:
            options.append(Tagged(Tag("unknown"), (tokens[i],)))
        chosen = None
        for option in options:
            (unknown, pieces), _ = best[i + len(option.tokens)]
            cost = (unknown + (option.tag.kind == "unknown"), pieces + 1)
            if chosen is None or cost < chosen[0]:
                chosen = (cost, option)
        best[i] = chosen
    tagged, i = [], 0
    while i < n:
        item = best[i][1]
        tagged.append(item)
        i += len(item.tokens)
    return tagged


def intent_parse(tokens: list[str], lexicon: Lexicon) -> Intent:
    tagged = request_tag(tokens, lexicon)
    heard = _heard(tagged)
    _refuse_what_cannot_be_shown(tagged, heard)
    return _intent(heard)


def _heard(tagged: list[Tagged]) -> _Heard:
    heard = _Heard()
    for index, item in enumerate(tagged):
        kind, value = item.tag.kind, item.tag.value
        if kind == "service":
            heard.add(heard.slugs, value)
        elif kind == "topic":
            heard.add(heard.topics, value)
        elif kind == "compare":
            heard.compare = True
        elif kind == "rank":
            heard.rank = heard.rank or value
        elif kind == "fleet":
            heard.fleet = True
        elif kind == "noun":
            heard.noun = True
        elif kind in {"category", "status_filter", "level_filter", "system"}:
            target = {"category": heard.categories, "status_filter": heard.statuses,
                      "level_filter": heard.levels, "system": heard.systems}[kind]
            heard.add(target, value)
        elif kind == "range":
            heard.ranges.append(value)
        elif kind == "unit":
            before = tagged[index - 1] if index else None
            amount = before.tag.value if before is not None and before.tag.kind == "number" else 1
            heard.ranges.append(amount * value)
        elif kind == "number":
            after = tagged[index + 1] if index + 1 < len(tagged) else None
            if after is None or after.tag.kind != "unit":
                heard.counts.append(value)
    return heard


def _refuse_what_cannot_be_shown(tagged: list[Tagged], heard: _Heard) -> None:
    focus = tuple(heard.slugs)
    refused = [item.text for item in tagged if item.tag.kind == "refused"]
    if refused:
        raise Unplannable(f"the stage only shows things, it can't {refused[0]} anything", focus, kind="refused")
    unknown = list(dict.fromkeys(item.text for item in tagged if item.tag.kind == "unknown"))
    if unknown:
        words = [f'"{w[:MAX_ECHOED_CHARS]}"' for w in unknown[:MAX_ECHOED_WORDS]]
        more = " and more" if len(unknown) > MAX_ECHOED_WORDS else ""
        raise Unplannable(f"I don't know {_joined(words, 'or')}{more}", focus, kind="unknown")
    for item in tagged:
        if item.tag.kind == "ambiguous":
            raise Unplannable(f'"{item.text}" could mean more than one service', item.tag.value, kind="ambiguous")


def _intent(heard: _Heard) -> Intent:
    focus, topic = tuple(heard.slugs), next(iter(heard.topics), None)
    if len(heard.ranges) > 1:
        raise Unplannable("I heard more than one time range", focus, topic)
    if len(heard.counts) > 1:
        raise Unplannable("I heard more than one number", focus, topic)
    hours = heard.ranges[0] if heard.ranges else DEFAULT_HOURS
    if not 1 <= hours <= MAX_HOURS:
        raise Unplannable(f"a time range is one hour to {MAX_HOURS // 24} days", focus, "health")
    count = heard.counts[0] if heard.counts else None
    metric = next((METRIC_OF_TOPIC[t] for t in heard.topics if t in METRIC_OF_TOPIC), "compliance")
    topics = tuple(dict.fromkeys("status" if t in SIZE_TOPICS else t for t in heard.topics if t != "show"))

    if len(heard.slugs) > MAX_COMPARED:
        raise Unplannable(f"I can compare at most {MAX_COMPARED} services at once", focus[:2], kind="limit")
    if heard.slugs and count is not None:
        raise Unplannable('a number goes with a ranking, like "top 5 services by uptime"', focus, kind="number")
    if len(heard.slugs) >= 2:
        return Intent(shape="compare", slugs=focus, topics=topics or ("status",), metric=metric, hours=hours)
    if heard.slugs:
        if heard.compare:
            raise Unplannable(f"name two to {number_spoken(MAX_COMPARED)} services to compare", focus, kind="compare")
        return Intent(shape="service", slugs=focus, topics=topics or ("status",), hours=hours)

    scope = Scope(categories=tuple(heard.categories), statuses=tuple(heard.statuses), levels=tuple(heard.levels),
                  systems=tuple(heard.systems))
    ranked = count is not None or heard.rank or heard.compare or any(t in SIZE_TOPICS for t in heard.topics)
    if not (ranked or heard.fleet or heard.noun or not scope.is_fleet):
        if topics:
            raise Unplannable("tell me which service, or say the fleet", topic=topics[0], kind="target")
        raise Unplannable("tell me what to show", kind="target")
    if ranked:
        if count is not None and not 1 <= count <= MAX_RANKED:
            raise Unplannable(f"a ranking shows 1 to {MAX_RANKED} services", kind="limit")
        # "top"/"worst" alone means a few; "compare the VLS solutions" means as many as fit.
        default = DEFAULT_RANKED if heard.rank else MAX_RANKED
        return Intent(shape="ranking", scope=scope, metric=metric, count=count or default,
                      descending=heard.rank != "asc", hours=hours, topics=topics or ("status",))
    return Intent(shape="fleet" if scope.is_fleet else "group", scope=scope, topics=topics or ("status",),
                  metric=metric, hours=hours)


def _joined(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"
