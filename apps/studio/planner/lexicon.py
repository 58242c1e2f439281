"""The words the planner knows: the grammar's own (words.py) plus every name a service or
system in the catalogue may be called by. Built from the catalogue when first needed and
rebuilt when the catalogue changes (a cheap fingerprint is checked on every request).

A service is recognised by, strongest first:
  0 its slug or name ("dr-lucy-flight-memory", "Dr. Lucy Flight Memory", "… service")
  1 its purpose ("flight memory system"), a curated synonym ("the hub"), or an alias in its
    ``visionspace.io/aliases`` annotation
  2 shorter forms derived from those: the persona ("dr lucy", "lucy"), the name without its
    persona ("flight memory"), the purpose without a trailing "system"/"solutions"
A phrase that two services share at the same strength is ambiguous (the planner asks which);
a stronger claim beats a weaker one; the grammar's own words beat every name.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from . import selectors
from .text import NUMBER_WORDS, phrase_tokens, phrase_variants, request_tokens, spelled_out
from .words import Tag, grammar_phrases

# Spoken names the catalogue cannot derive (from the customer's document and how people talk).
CURATED_SYNONYMS = {
    "visionspace-automation-hub": ("visionspace", "vision space", "the hub", "hub", "automation hub",
                                   "visionspace hub", "voice to video"),
    "daily-video-automation": ("daily", "daily co", "daily video", "video automation"),
    "pipecat-voice-processing": ("pipecat", "pipe cat", "voice processing"),
    "universal-ai-key-manager": ("key manager", "keys", "ai key manager", "the key manager"),
    # Not "cig compliance": that is the CIG container's compliance, asked for the usual way.
    "cig-framework-compliance": ("cig", "compliance container", "cig framework"),
    "diamondSolutionsMenu": ("diamond menu", "solutions menu", "the menu"),
    "vision-space-auth": ("auth", "authentication", "visionspace auth", "vision space auth"),
    "fyeo-ceo-service": ("fyeo", "ceo service"),
    "website-factory-commands": ("website factory",),
    "high-speed-publishing-pipeline": ("publishing pipeline",),
}
TITLES = frozenset({"dr", "professor"})
GENERIC_TAILS = frozenset({"service", "services", "system", "systems", "solution", "solutions"})
MIN_SINGLE_WORD = 3  # shorter single words ("ai", "co") are never a service's name on their own


@dataclass(frozen=True)
class Lexicon:
    fingerprint: tuple
    phrases: dict[tuple[str, ...], Tag]
    longest: int  # tokens in the longest phrase
    services: tuple[selectors.ServiceFacts, ...]  # catalogue order
    words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # slug → (name, purpose) as tokens
    own: dict[str, list[tuple[str, ...]]]  # slug → the phrases that name it alone

    def spoken(self, slug: str) -> str | None:
        """A short way to say the service that names it alone ("dr lucy"), preferring its persona;
        None when it has none the recogniser could say (every phrase ambiguous or with digits)."""
        own = self.own.get(slug, [])
        name = self.words[slug][0] if slug in self.words else ()
        if len(name) >= 2 and name[0] in TITLES and name[1].isalpha() and name[:2] in set(own):
            return " ".join(name[:2])
        for phrase in sorted((p for p in own if len(p) >= 2), key=lambda p: (len(p), p)):
            if all(t.isalpha() for t in phrase):
                return " ".join(phrase)
        return None

    def purpose_phrase(self, slug: str) -> str | None:
        """The service's purpose as said ("flight memory system"), when that names it alone."""
        purpose = self.words[slug][1] if slug in self.words else ()
        return " ".join(purpose) if purpose and self.phrases.get(purpose) == Tag("service", slug) else None

    def service_phrases(self) -> list[tuple[str, str]]:
        """(phrase, slug) for every phrase that names exactly one service."""
        return sorted((" ".join(p), t.value) for p, t in self.phrases.items() if t.kind == "service")


_lock = threading.Lock()
_current: list[Lexicon] = []


def lexicon_current() -> Lexicon:
    """The lexicon for the catalogue as it is now (cached per process)."""
    fingerprint = selectors.catalogue_fingerprint()
    cached = _current[0] if _current else None
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    with _lock:
        lexicon = lexicon_build(services=selectors.lexicon_services(), systems=selectors.lexicon_systems(),
                                fingerprint=fingerprint)
        _current[:] = [lexicon]
    return lexicon


def lexicon_build(*, services: list[selectors.ServiceFacts], systems: list[tuple[str, str]],
                  fingerprint: tuple = ()) -> Lexicon:
    grammar = grammar_phrases()
    claims: dict[tuple[str, ...], tuple[int, set[str]]] = {}  # phrase → (strongest claim, slugs claiming it so)
    known = _aliases_seen[0] if _aliases_seen else {}
    aliases_now: dict[selectors.ServiceFacts, _Aliases] = {}
    for service in services:
        aliases = aliases_now[service] = known.get(service) or _aliases_of(service, grammar)
        for strength, phrase in aliases.phrases:
            claim = claims.get(phrase)
            if claim is None or strength < claim[0]:
                claims[phrase] = (strength, {service.slug})
            elif strength == claim[0]:
                claim[1].add(service.slug)
    _aliases_seen[:] = [aliases_now]
    words = {s.slug: (aliases_now[s].name, aliases_now[s].purpose) for s in services}
    phrases = dict(grammar)
    own: dict[str, list[tuple[str, ...]]] = {}
    tags: dict[str, Tag] = {}
    for phrase, (_, slugs) in claims.items():
        if len(slugs) == 1:
            slug = next(iter(slugs))
            phrases[phrase] = tags.get(slug) or tags.setdefault(slug, Tag("service", slug))
            own.setdefault(slug, []).append(phrase)
        else:
            phrases[phrase] = Tag("ambiguous", tuple(sorted(slugs)))
    for slug, name in systems:
        for phrase in dict.fromkeys([*phrase_variants(name), *phrase_variants(slug)]):
            if phrase and phrase not in phrases:
                phrases[phrase] = Tag("system", slug)
    return Lexicon(
        fingerprint=fingerprint, phrases=phrases, longest=max(len(p) for p in phrases), services=tuple(services),
        words=words, own=own,
    )


@dataclass(frozen=True)
class _Aliases:
    name: tuple[str, ...]
    purpose: tuple[str, ...]
    phrases: tuple[tuple[int, tuple[str, ...]], ...]


# A service's aliases depend only on its own fields: kept between builds, so that a change
# to one service of a thousand rebuilds the lexicon in a fraction of the first build's time.
_aliases_seen: list[dict] = []


def _aliases_of(service: selectors.ServiceFacts, grammar: dict) -> _Aliases:
    name, purpose = phrase_tokens(service.name), phrase_tokens(service.purpose)
    phrases = tuple((strength, p) for strength, p in _service_aliases(service, name, purpose) if _usable(p, grammar))
    return _Aliases(name=name, purpose=purpose, phrases=phrases)


def _usable(phrase: tuple[str, ...], grammar: dict) -> bool:
    if not phrase or phrase in grammar:
        return False
    if len(phrase) == 1 and (len(phrase[0]) < MIN_SINGLE_WORD or phrase[0] in NUMBER_WORDS or phrase[0].isdigit()):
        return False
    return True


def _service_aliases(service: selectors.ServiceFacts, name: tuple[str, ...], purpose: tuple[str, ...]):
    """(strength, tokens) for every way the service may be named."""
    names = phrase_variants(service.name) if name else []
    purposes = phrase_variants(service.purpose) if purpose else []
    exact = [*phrase_variants(service.slug), *names]
    exact += [(*p, "service") for p in exact if p and p[-1] != "service"]
    synonyms = (*CURATED_SYNONYMS.get(service.slug, ()), *service.aliases)
    named = [*purposes, *(tuple(request_tokens(a)) for a in synonyms)]
    derived = [p[:-1] for p in (*names, *purposes) if len(p) > 2 and p[-1] in GENERIC_TAILS]
    for variant in names:
        if len(variant) >= 2 and variant[0] in TITLES:
            derived += [variant[1:], variant[:2], variant[1:2]]
            if variant[2:]:
                derived.append(variant[2:])
    for strength, group in ((0, exact), (1, named), (2, derived)):
        for phrase in group:
            yield strength, phrase
            if not "".join(phrase).isalpha():
                spelled = [spelled_out(t) or t for t in phrase]
                if spelled != list(phrase):
                    yield strength, tuple(" ".join(spelled).split())
