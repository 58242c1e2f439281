"""From what someone typed or said to tokens the grammar reads: lower case, no accents, no
punctuation, one spelling per word (British and American spellings meet here)."""

from __future__ import annotations

import re
import unicodedata

MAX_REQUEST_CHARS = 300

# One spelling for words people spell or say more than one way.
CANONICAL_TOKENS = {
    "doctor": "dr",
    "prof": "professor",
    "vs": "versus",
    "containerization": "containerisation",
    "containerize": "containerise",
    "containerized": "containerised",
    "containerizing": "containerising",
    "okay": "ok",
    "organization": "organisation",
    "whats": "what",  # "what's" is split below; a typed "whats" lands here
    "gimme": "give",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_IS_CONTRACTIONS = re.compile(r"\b(what|it|that|there|how|who|where|here)'s\b")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]+")
_SHORT_HOURS = re.compile(r"\b(\d+)\s*(?:h|hr|hrs)\b")
_SHORT_DAYS = re.compile(r"\b(\d+)\s*d\b")
_NEEDS_REQUEST_RULES = re.compile(r"['`]|\d\s*(?:h|hr|hrs|d)\b", re.IGNORECASE)

NUMBER_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
NUMBER_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
NUMBER_WORDS = (*NUMBER_UNITS, *NUMBER_TENS, "hundred")
_DIGIT_WORDS = {v: k for k, v in NUMBER_UNITS.items()}


def request_tokens(text: str) -> list[str]:
    """The words of a request, normalised. "What's Dr. Lucy's status?" → what is dr lucy status."""
    text = text.translate(_APOSTROPHES).lower().replace("&", " and ")
    if "'" in text:
        text = _POSSESSIVE.sub("", _IS_CONTRACTIONS.sub(r"\1 is", text)).replace("'", "")
    if _DIGIT.search(text):
        text = _SHORT_DAYS.sub(r"\1 days", _SHORT_HOURS.sub(r"\1 hours", text))
    if not text.isascii():
        text = _ascii(text)
    return [CANONICAL_TOKENS.get(t, t) for t in _NOT_WORD.split(text) if t]


def _words_of(text: str) -> tuple[str, ...]:
    # The catalogue is read a thousand names at a time: plain text skips request_tokens' rarer rules.
    if not text.isascii() or _NEEDS_REQUEST_RULES.search(text):
        return tuple(request_tokens(text))
    return tuple(CANONICAL_TOKENS.get(t, t) for t in _WORD.findall(text.lower().replace("&", " and ")))


def phrase_tokens(text: str) -> tuple[str, ...]:
    """A catalogue phrase (name, slug, purpose) as tokens; camelCase split into words."""
    return _words_of(_CAMEL.sub(" ", text))


def phrase_variants(text: str) -> list[tuple[str, ...]]:
    """The phrase as tokens, camelCase split ("vision space") and, when that differs, joined ("visionspace")."""
    split = phrase_tokens(text)
    if not _CAMEL.search(text):
        return [split]
    joined = _words_of(text)
    return [split] if joined == split else [split, joined]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def number_at(tokens: list[str], start: int) -> tuple[int, int] | None:
    """(value, tokens used) for a number at ``start``: digits ("48") or words ("forty eight",
    "one hundred"), up to 999; None when no number starts there."""
    token = tokens[start]
    if token.isdigit():
        return (int(token), 1) if len(token) <= 6 else (10**6, 1)
    value, used = 0, 0
    if token in NUMBER_TENS:
        value, used = NUMBER_TENS[token], 1
        if start + 1 < len(tokens) and tokens[start + 1] in NUMBER_UNITS and 0 < NUMBER_UNITS[tokens[start + 1]] < 10:
            value, used = value + NUMBER_UNITS[tokens[start + 1]], 2
    elif token in NUMBER_UNITS:
        value, used = NUMBER_UNITS[token], 1
    elif token == "hundred":
        return 100, 1
    else:
        return None
    if start + used < len(tokens) and tokens[start + used] == "hundred" and value < 10:
        return value * 100, used + 1
    return value, used


def number_spoken(n: int) -> str:
    """Small counts as words for narration ("three replicas"); larger ones as digits."""
    return _DIGIT_WORDS.get(n, str(n))


def spelled_out(token: str) -> str | None:
    """How a recogniser hears a token that mixes letters and digits: "s2do" → "s two d o"."""
    if token.isalpha() or token.isdigit() or not token.isalnum():
        return None
    return " ".join(_DIGIT_WORDS[int(ch)] if ch.isdigit() else ch for ch in token)
