"""Every word and phrase the grammar accepts, for a speech recogniser's grammar (JSGF for
pocketsphinx): a recogniser limited to these can only hear requests the planner knows,
or verbs it refuses clearly."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import lexicon_current
from .refusals import suggestions_for
from .text import NUMBER_WORDS
from .words import FILLER_PHRASES, OTHER_PHRASES, REFUSED_VERBS, TOPIC_PHRASES, WAKE_WORDS

GROUP_KINDS = ("fleet", "noun", "category", "status_filter", "level_filter")


@dataclass(frozen=True)
class Vocabulary:
    services: tuple[tuple[str, str], ...]  # (phrase, service slug): each names exactly one service
    systems: tuple[tuple[str, str], ...]  # (phrase, system slug)
    groups: tuple[tuple[str, str], ...]  # (phrase, "fleet" | "noun" | "category:vls" | "status_filter:…" | …)
    actions: tuple[tuple[str, str], ...]  # (phrase, topic | "compare" | "rank:desc" | "rank:asc")
    time_ranges: tuple[tuple[str, int], ...]  # (phrase, hours): "hours" = 1 per number, "today" = 24
    fillers: tuple[str, ...]
    numbers: tuple[str, ...]  # number words; digits are accepted in typed requests too
    refused_verbs: tuple[str, ...]  # heard so that they can be refused, never misheard as something else
    wake_words: tuple[str, ...]
    examples: tuple[str, ...]  # requests that work, for a grammar's smoke test

    def phrases(self) -> list[str]:
        return sorted({p for p, _ in (*self.services, *self.systems, *self.groups, *self.actions, *self.time_ranges)}
                      | {*self.fillers, *self.numbers, *self.refused_verbs, *self.wake_words})

    def words(self) -> list[str]:
        """Every single word in any phrase: what the recogniser's dictionary must know."""
        return sorted({word for phrase in self.phrases() for word in phrase.split()})


def planner_vocabulary() -> Vocabulary:
    lexicon = lexicon_current()
    systems = sorted((" ".join(p), t.value) for p, t in lexicon.phrases.items() if t.kind == "system")
    groups = sorted((phrase, tag.kind if tag.value is None else f"{tag.kind}:{tag.value}")
                    for phrase, tag in OTHER_PHRASES.items() if tag.kind in GROUP_KINDS)
    actions = sorted([(phrase, tag.value) for phrase, tag in TOPIC_PHRASES.items()]
                     + [(phrase, tag.kind if tag.value is None else f"{tag.kind}:{tag.value}")
                        for phrase, tag in OTHER_PHRASES.items() if tag.kind in {"compare", "rank"}])
    ranges = sorted((phrase, tag.value) for phrase, tag in OTHER_PHRASES.items() if tag.kind in {"unit", "range"})
    return Vocabulary(
        services=tuple(lexicon.service_phrases()), systems=tuple(systems), groups=tuple(groups),
        actions=tuple(actions), time_ranges=tuple(ranges), fillers=tuple(sorted(set(FILLER_PHRASES))),
        numbers=tuple(NUMBER_WORDS), refused_verbs=tuple(sorted(REFUSED_VERBS)), wake_words=WAKE_WORDS,
        examples=tuple(dict.fromkeys([*suggestions_for(lexicon=lexicon),
                                      *suggestions_for(lexicon=lexicon, topic="health")])),
    )
