"""Is a hypothesis a whole sentence of the grammar? The spoken grammar has no recursion, so
its JSGF is a regular language over words: compiled once per grammar into one Python regular
expression (pocketsphinx's own FSG acceptor walks the expanded graph and takes seconds)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<[^>]+>|[()\[\]|]|[^\s()\[\]|<>;]+")


def sentence_pattern(jsgf: str, *, top: str = "utterance") -> re.Pattern:
    rules: dict[str, str] = {}
    for statement in jsgf.split(";"):
        head, sep, body = statement.partition("=")
        if not sep:
            continue
        name = head.split()[-1].strip("<>")
        rules[name] = body
    cache: dict[str, str] = {}

    def expand(name: str) -> str:
        if name not in cache:
            cache[name] = "(?:" + convert(rules[name]) + ")"
        return cache[name]

    def convert(body: str) -> str:
        out = []
        for token in _TOKEN.findall(body):
            if token == "(":
                out.append("(?:")
            elif token == ")":
                out.append(")")
            elif token == "[":
                out.append("(?:")
            elif token == "]":
                out.append(")?")
            elif token == "|":
                out.append("|")
            elif token.startswith("<"):
                out.append(expand(token.strip("<>")) if token != "<VOID>" else "(?!)")
            else:
                out.append(re.escape(token) + " ")
        return "".join(out)

    return re.compile(expand(top))


def is_sentence(pattern: re.Pattern, text: str) -> bool:
    return bool(text) and pattern.fullmatch(" ".join(text.split()) + " ") is not None
