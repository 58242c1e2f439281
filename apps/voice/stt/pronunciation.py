"""Pronunciations for every grammar word, from the CMU dictionary the pocketsphinx wheel carries.

Catalogue names are often not English words ("pipecat", "visionspace", "fyeo", "vls"). A word
the dictionary lacks is pronounced, in this order:
  1. British spelling → American ("containerise" → "containerize"), then the dictionary;
  2. a known suffix on a pronounceable stem ("containerised" = "container" + IZED);
  3. a split into dictionary words, fewest pieces first ("pipecat" = pipe + cat,
     "diamondsolutionsmenu" = diamond + solutions + menu);
  4. simple letter-to-sound rules (letter_sounds.py: "ollama" ≈ AA L AE M AH), and for short
     words also spelled out letter by letter ("cig" = "sig" or C I G; "vls" = V L S), since
     people say short names both ways.
Nothing is guessed from audio and nothing is downloaded.
"""

from __future__ import annotations

import functools
import os
import re

import pocketsphinx

from .letter_sounds import has_vowel_letter, letter_sounds

MIN_PIECE = 2  # letters: pieces shorter than this make nonsense splits ("a" + "pple")
MAX_ACRONYM = 4  # letters: a short word the dictionary lacks is also spelled out
BRITISH = ((re.compile(r"isation(s?)$"), r"ization\1"), (re.compile(r"is(e|ed|es|ing|er|ers)$"), r"iz\1"),
           (re.compile(r"our$"), "or"))
# Suffix → phones, for stems the dictionary has (checked longest first).
SUFFIXES = {
    "ization": "AH Z EY SH AH N", "isation": "AH Z EY SH AH N", "izing": "AY Z IH NG", "ising": "AY Z IH NG",
    "ized": "AY Z D", "ised": "AY Z D", "ize": "AY Z", "ise": "AY Z", "ing": "IH NG", "ed": "D", "er": "ER",
    "s": "Z", "es": "IH Z",
}
LETTERS = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY", "h": "EY CH",
    "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N", "o": "OW", "p": "P IY",
    "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW", "v": "V IY", "w": "D AH B AH L Y UW",
    "x": "EH K S", "y": "W AY", "z": "Z IY",
}
UNVOICED = frozenset({"P", "T", "K", "F", "TH"})
_ALT = re.compile(r"\(\d+\)$")


def model_dir() -> str:
    return os.path.join(pocketsphinx.get_model_path(), "en-us")


@functools.cache
def cmu_dictionary() -> dict[str, tuple[str, ...]]:
    """word → its pronunciations (phone strings), loaded once per process (~130k words, ~0.3 s)."""
    table: dict[str, list[str]] = {}
    with open(os.path.join(model_dir(), "cmudict-en-us.dict"), encoding="utf-8") as lines:
        for line in lines:
            word, _, phones = line.strip().partition(" ")
            if phones:
                table.setdefault(_ALT.sub("", word), []).append(phones.strip())
    return {word: tuple(prons) for word, prons in table.items()}


def pronunciations(word: str) -> tuple[str, ...]:
    """Every way to say ``word`` (lower case letters): at least one, always."""
    return _pronunciations(word.lower())


@functools.cache
def _pronunciations(word: str) -> tuple[str, ...]:
    found = _known(word) or _split(word)
    if found or not word.isalpha():
        return found or ("SIL",)
    spelled = " ".join(LETTERS[ch] for ch in word)
    sounded = letter_sounds(word)
    if len(word) <= MAX_ACRONYM or not has_vowel_letter(word):
        return tuple(dict.fromkeys([spelled, sounded] if not has_vowel_letter(word) else [sounded, spelled]))
    return (sounded,)


def _known(word: str) -> tuple[str, ...]:
    cmu = cmu_dictionary()
    if word in cmu:
        return cmu[word]
    for pattern, american in BRITISH:
        other = pattern.sub(american, word)
        if other != word and other in cmu:
            return cmu[other]
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem in cmu:
            phones = cmu[stem][0]
            ending = "S" if suffix == "s" and phones.split()[-1] in UNVOICED else SUFFIXES[suffix]
            return (f"{phones} {ending}",)
    return ()


def _split(word: str) -> tuple[str, ...]:
    """The word as dictionary words (or suffixed stems), fewest pieces; () when it has no such split."""
    n = len(word)
    # best[i]: (pieces, -shortest piece, phones) for word[i:]; ties go to the split whose shortest
    # piece is longest ("vision space", not "visions pace")
    best: list[tuple[int, int, str] | None] = [None] * (n + 1)
    best[n] = (0, -n, "")
    for i in range(n - 1, -1, -1):
        for j in range(n, i + MIN_PIECE - 1, -1):
            piece, rest = word[i:j], best[j]
            if rest is None or not (known := _known(piece)):
                continue
            candidate = (rest[0] + 1, max(rest[1], -len(piece)), f"{known[0]} {rest[2]}".strip())
            if best[i] is None or candidate[:2] < best[i][:2]:
                best[i] = candidate
    return (best[0][2],) if best[0] is not None and best[0][0] > 1 else ()


def dictionary_text(words: list[str]) -> str:
    """A pocketsphinx dictionary for just these words: small, so a decoder loads in milliseconds."""
    lines = []
    for word in sorted(set(words)):
        for index, phones in enumerate(pronunciations(word)):
            lines.append(f"{word}{'' if index == 0 else f'({index + 1})'} {phones}")
    return "\n".join(lines) + "\n"
