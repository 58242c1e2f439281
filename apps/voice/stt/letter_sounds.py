"""Letter-to-sound rules for names no dictionary has: a rough English reading, left to right,
longest grapheme first. Good enough for the recogniser to hear a name said as it is written;
the grammar leaves it nothing else to confuse it with."""

from __future__ import annotations

VOWEL_LETTERS = frozenset("aeiouy")
# Grapheme → phones (CMU set), longest first at each position.
GRAPHEMES = {
    "tion": "SH AH N", "sion": "ZH AH N", "ough": "OW", "igh": "AY", "tch": "CH", "sch": "S K",
    "ch": "CH", "sh": "SH", "th": "TH", "ph": "F", "ck": "K", "ng": "NG", "qu": "K W", "wh": "W", "gh": "G",
    "ee": "IY", "ea": "IY", "oo": "UW", "ai": "EY", "ay": "EY", "oa": "OW", "ou": "AW", "ow": "OW",
    "oi": "OY", "oy": "OY", "au": "AO", "aw": "AO", "ie": "IY", "ei": "EY", "ey": "EY", "ue": "UW", "ew": "UW",
    "ar": "AA R", "er": "ER", "ir": "ER", "ur": "ER", "or": "AO R",
    "a": "AE", "b": "B", "c": "K", "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IH", "j": "JH",
    "k": "K", "l": "L", "m": "M", "n": "N", "o": "AA", "p": "P", "q": "K", "r": "R", "s": "S", "t": "T",
    "u": "AH", "v": "V", "w": "W", "x": "K S", "y": "IY", "z": "Z",
}
LONG = {"a": "EY", "e": "IY", "i": "AY", "o": "OW", "u": "UW"}  # a vowel before consonant + final e
LONGEST = max(map(len, GRAPHEMES))


def has_vowel_letter(word: str) -> bool:
    return any(ch in VOWEL_LETTERS for ch in word)


def letter_sounds(word: str) -> str:
    """Phones for a lower-case alphabetic word: "langfuse" → L AE NG F Y UW Z ... roughly."""
    phones: list[str] = []
    i, n = 0, len(word)
    while i < n:
        if word[i] == "e" and i == n - 1 and phones:
            break  # a final e is silent
        if word[i] == "c" and i + 1 < n and word[i + 1] in "eiy":
            phones.append("S")
            i += 1
            continue
        if word[i] in LONG and i + 2 == n - 1 and word[-1] == "e" and word[i + 1] not in VOWEL_LETTERS:
            phones.append(LONG[word[i]])
            i += 1
            continue
        if i and word[i] == word[i - 1] and word[i] not in VOWEL_LETTERS:
            i += 1  # a doubled consonant is one sound: "ollama"
            continue
        if word[i] == "a" and i == n - 1 and i:
            phones.append("AH")  # a final a is a schwa: "ollama", "memoria"
            i += 1
            continue
        for length in range(min(LONGEST, n - i), 0, -1):
            if (chunk := word[i:i + length]) in GRAPHEMES:
                if not (phones and chunk in {"h"} and phones[-1] in {"K", "G"}):
                    phones.append(GRAPHEMES[chunk])
                i += length
                break
        else:
            i += 1
    return " ".join(phones) or "SIL"
