"""Decoy names: somewhere in the grammar for a name the catalogue does not have.

A grammar decoder forces any audio onto some grammar path, so "show the redis compliance"
comes out as the nearest known name ("show lee compliance") and, scored against a phone loop,
fits about as well as a real command does: the phone-loop gap rejects sentences that are wholly
different, not one wrong word. So the service slot also offers decoys — ordinary dictionary
words shaped like a name, none of them a word of the grammar nor one that sounds almost like
one — and an utterance whose path goes through one is refused as "a name I don't know"
(docs/voice.md, "Speech to text").

The decoys are a seeded sample of the CMU dictionary, not a list of names someone expected:
they stand for "any other sound shaped like a name", and the accuracy suite's unknown names
are kept out of the sample so that it measures how well that generalises
(tests/voice/stt/test_decoys.py).
"""

from __future__ import annotations

import functools

import numpy as np

from .pronunciation import cmu_dictionary, pronunciations

SEED = 0xDEC0
LETTERS = range(4, 10)  # a name's length, spelt
PHONES = range(3, 8)  # and said: one to three syllables
# A decoy this close to a grammar word (weighted phone edits per phone of the longer) steals
# it: measured, "looby" took "burby", "homme" took "hub", "klomp" took "claude".
MIN_DISTANCE = 0.5
VOWELS = frozenset("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())
CLASSES = (frozenset("P B T D K G".split()), frozenset("M N NG".split()),
           frozenset("F V TH DH S Z SH ZH HH CH JH".split()), frozenset("L R W Y".split()), VOWELS)
POOL = 8000  # candidates considered, in seeded order; the first ``count`` that qualify are taken
PHONE_IDS = {phone: i for i, phone in enumerate(sorted(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()))}


@functools.cache
def _cost_table() -> np.ndarray:
    """Substitution cost between phone ids (an unknown phone, id -1 → last row, costs 1 to anything)."""
    names = sorted(PHONE_IDS, key=PHONE_IDS.get)
    size = len(names) + 1
    table = np.ones((size, size))
    for a, pa in enumerate(names):
        for b, pb in enumerate(names):
            same_class = any(pa in members and pb in members for members in CLASSES)
            table[a, b] = 0.0 if a == b else (0.5 if same_class else 1.0)
    return table


@functools.cache
def _pool() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(words, phone ids padded with -1, lengths) of the first POOL candidates in seeded order."""
    everything = []
    for word, prons in cmu_dictionary().items():
        phones = prons[0].split()
        if word.isascii() and word.isalpha() and len(word) in LETTERS and len(phones) in PHONES:
            everything.append((word, phones))
    everything.sort()
    order = np.random.default_rng(SEED).permutation(len(everything))[:POOL]
    chosen = [everything[i] for i in order]
    ids = np.full((len(chosen), max(PHONES)), -1, dtype=np.int64)
    for row, (_, phones) in enumerate(chosen):
        ids[row, :len(phones)] = [PHONE_IDS.get(p, -1) for p in phones]
    return tuple(w for w, _ in chosen), ids, np.array([len(p) for _, p in chosen])


@functools.cache
def _close_to(sound: tuple[str, ...]) -> np.ndarray:
    """Which pool candidates are within MIN_DISTANCE of ``sound`` (weighted edits per phone of
    the longer): one edit-distance table for every candidate at once."""
    _, ids, lengths = _pool()
    costs = _cost_table()
    n, width = ids.shape
    previous = np.tile(np.arange(width + 1, dtype=float), (n, 1))  # row 0: the empty prefix of ``sound``
    for i, phone in enumerate(sound, 1):
        substitution = costs[PHONE_IDS.get(phone, -1)][ids]  # (n, width)
        current = np.empty_like(previous)
        current[:, 0] = i
        for j in range(1, width + 1):
            current[:, j] = np.minimum(np.minimum(previous[:, j] + 1, current[:, j - 1] + 1),
                                       previous[:, j - 1] + substitution[:, j - 1])
        previous = current
    distance = previous[np.arange(n), lengths] / np.maximum(lengths, len(sound))
    return distance < MIN_DISTANCE


def _sounds(words) -> set[tuple[str, ...]]:
    return {tuple(pron.split()) for word in words for pron in pronunciations(word)}


def sound_distance(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The measure ``_close_to`` applies to every candidate at once, for one pair (and for tests)."""
    costs = _cost_table()
    ids_a, ids_b = [PHONE_IDS.get(p, -1) for p in a], [PHONE_IDS.get(p, -1) for p in b]
    previous = [float(j) for j in range(len(b) + 1)]
    for i, pa in enumerate(ids_a, 1):
        current = [float(i)]
        for j, pb in enumerate(ids_b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + costs[pa, pb]))
        previous = current
    return previous[-1] / max(len(a), len(b))


def _phrase_sounds(phrases) -> set[tuple[str, ...]]:
    sounds = set()
    for phrase in phrases:
        sound = tuple(phone for word in phrase.split() for phone in pronunciations(word)[0].split())
        if len(sound) <= 2 * max(PHONES):  # longer cannot be within MIN_DISTANCE of a decoy
            sounds.add(sound)
    return sounds


def decoys_pick(*, count: int, exclude: frozenset[str], phrases: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``count`` decoy words, the same ones for the same arguments: none in ``exclude``, none
    that sounds almost like a word of ``exclude`` or like one of ``phrases`` said in one go
    (measured: a decoy took "the hub" whole)."""
    if count <= 0:
        return ()
    words, _, _ = _pool()
    allowed = np.array([word not in exclude for word in words])
    for sound in _sounds(exclude) | _phrase_sounds(phrases):
        allowed &= ~_close_to(sound)
    # The pool's order is fixed, so a catalogue change swaps out only the words it now uses.
    return tuple(sorted(words[i] for i in np.flatnonzero(allowed)[:count]))
