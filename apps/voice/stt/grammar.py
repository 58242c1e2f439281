"""The spoken grammar (JSGF), generated from the planner's vocabulary and the catalogue.

The planner reads a bag of phrases; a recogniser does better with sentences. So the grammar
is a handful of sentence shapes (a service's status, a comparison, the fleet, a group, a
ranking, a refused verb) whose slots are filled from ``planner_vocabulary()``: the service
names and aliases (up to four words), groups, levels, filters and numbers the planner knows. Every word of the
shapes themselves is a planner word too (tests hold it to that), and tests plan a sample of
generated sentences, so what this grammar accepts the planner can plan. The slot fillers
change with the catalogue; ``grammar_current`` rebuilds when the vocabulary's digest changes.
A second JSGF, the same with decoys beside the names (decoys.py), lets the recogniser tell a
name the catalogue does not have.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from apps.studio.planner import Vocabulary, planner_vocabulary
from apps.studio.planner.lexicon import lexicon_current

from .decoys import decoys_pick
from .numbers_spoken import numbers_rule

NAME = "visionspace"
WAKE = ("visionspace", "vision space")
FLEET_ALONE = ("all", "every")  # only as "all services", "every service"
# A few tight sentence shapes, not a bag of optional words: every optional word and every
# alternative is a place for a wrong path to win, and short words ("lee", "hub", "the") soak
# up anything. Measured on espeak-ng commands (docs/benchmarks.md, voice_accuracy): the
# permissive bag of earlier drafts recognised 7-54 % of clean commands, these shapes 96-100 %.
SHAPES = """
public <utterance> = [<wake>] <command>;
<wake> = [hey | ok] ({wake});
<command> = <show> [the] <service> [<topic>] [<range>]
  | <show> [the] <topic> (of | for) [the] <service> [<range>]
  | compare [the] <service> (and | with | versus) [the] <service>
  | how is [the] <service> doing
  | what does [the] <service> depend on
  | explain [the] <service>
  | <show> [the] <fleet> [<topic>]
  | <show> [all] [the] [<level>] <group> [<topic>] [<range>]
  | (top | worst | bottom | best) <count> services by <metric>
  | which services (<status_filter>)
  | rank [the] <group> by <metric>
  | <refused> [the] (<service> | <fleet>);
<show> = show [me] | display;
<fleet> = {fleet};
<group> = {groups};
<range> = (over | for) the (last | past) (<hours> hours | <days> days | <weeks> weeks | hour | day | week | month)
  | today | this week;
<service> = {services};
<topic> = {topics};
<metric> = {metrics};
<level> = {levels};
<status_filter> = {statuses};
<refused> = {refused};
{numbers}
"""
MAX_SERVICE_WORDS = 4  # longer aliases are descriptions people type, not names they say
# One short word ("lee", "hub", "cig") fits almost any unknown name said in its place
# ("show the redis compliance" was heard as "show lee compliance"): a one-word alias is
# spoken only from this length; the longer forms ("professor lee", "automation hub") stay.
MIN_SINGLE_WORD_ALIAS = 3
TOPIC_WORDS = ("status", "health", "compliance", "compliance score", "deployments", "replicas", "uptime")
METRICS = ("uptime", "compliance", "health", "replicas")


@dataclass(frozen=True)
class SpokenGrammar:
    jsgf: str
    words: tuple[str, ...]  # every word the recogniser's dictionary needs (decoys included)
    digest: str  # changes exactly when the grammar text does
    examples: tuple[str, ...]
    # The same grammar with decoys beside the catalogue's names in the service slot
    # (decoys.py); "" when there are none.
    jsgf_decoys: str = ""
    decoys: frozenset[str] = frozenset()  # words that stand for a name the catalogue does not have
    names: tuple[str, ...] = ()  # the service slot's names, as said (decoy_probes.py pairs them with decoys)


DECOYS = 600  # how many (the number measured: docs/benchmarks.md, voice_accuracy)


def grammar_build(*, vocabulary: Vocabulary, decoys: int | None = None) -> SpokenGrammar:
    groups: dict[str, list[str]] = {}
    for phrase, kind in vocabulary.groups:
        groups.setdefault(kind.split(":")[0], []).append(phrase)
    services = sorted({_spoken_alias(p) for p, _ in vocabulary.services} - {""})
    fill = dict(
        wake=_alternatives(WAKE),
        fleet=_alternatives(p for p in groups.get("fleet", []) if p not in FLEET_ALONE),
        groups=_alternatives([*groups.get("category", []), *groups.get("noun", [])]),
        services=_alternatives(services),
        topics=_alternatives(TOPIC_WORDS),
        metrics=_alternatives(METRICS),
        levels=_alternatives(groups.get("level_filter", [])),
        statuses=_alternatives(groups.get("status_filter", [])),
        refused=_alternatives(vocabulary.refused_verbs),
        numbers=numbers_rule(),
    )
    header = f"#JSGF V1.0;\ngrammar {NAME};\n"
    jsgf = header + SHAPES.format(**fill)
    known = frozenset(_jsgf_words(jsgf))
    others = decoys_pick(count=DECOYS if decoys is None else decoys, exclude=known | frozenset(vocabulary.words()),
                         phrases=tuple(services) + tuple(f"the {name}" for name in services))
    jsgf_decoys = ""
    if others:
        jsgf_decoys = header + SHAPES.format(**{**fill, "services": f"{fill['services']} | {' | '.join(others)}"})
    words = sorted(known | set(others))
    digest = hashlib.sha256((jsgf + jsgf_decoys).encode()).hexdigest()[:16]
    return SpokenGrammar(jsgf=jsgf, words=tuple(words), digest=digest, examples=vocabulary.examples,
                         jsgf_decoys=jsgf_decoys, decoys=frozenset(others),
                         names=tuple(s for s in services if _speakable(s)))


def _spoken_alias(phrase: str) -> str:
    """The alias as the grammar offers it ("" to leave it out): no leading "the" (the shapes
    have their own), at most MAX_SERVICE_WORDS words, one word only if it is long enough."""
    words = phrase.split()
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) > MAX_SERVICE_WORDS or (len(words) == 1 and len(words[0]) < MIN_SINGLE_WORD_ALIAS):
        return ""
    return " ".join(words)


def _speakable(phrase: str) -> bool:
    return bool(phrase) and all(word.isalpha() for word in phrase.split())


def _alternatives(phrases) -> str:
    kept = sorted({p for p in phrases if _speakable(p)})
    return " | ".join(kept) if kept else "<VOID>"


def _jsgf_words(jsgf: str) -> list[str]:
    body = jsgf.split("\n", 2)[2]
    words = []
    for line in body.splitlines():
        text = line.split("=", 1)[1] if "=" in line else line
        for token in text.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ").replace(
                "|", " ").replace(";", " ").split():
            if not token.startswith("<") and token.isalpha():
                words.append(token)
    return words


_lock = threading.Lock()
_current: list[tuple[tuple, SpokenGrammar]] = []  # (lexicon fingerprint, grammar)


def grammar_current() -> SpokenGrammar:
    """The grammar for the catalogue as it is now. The planner's lexicon checks one cheap
    fingerprint query per call; only a changed fingerprint regenerates the JSGF (~5 ms), and
    only a changed digest reaches the decoders (a new pool)."""
    fingerprint = lexicon_current().fingerprint
    cached = _current[0] if _current else None
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    grammar = grammar_build(vocabulary=planner_vocabulary())
    with _lock:
        if cached is not None and cached[1].digest == grammar.digest:
            grammar = cached[1]
        _current[:] = [(fingerprint, grammar)]
    return grammar


def grammar_forget() -> None:
    """Drop the cached grammar (a catalogue change in this process): the next utterance rebuilds it."""
    with _lock:
        _current.clear()
