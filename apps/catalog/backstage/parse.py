"""YAML text → entity documents, with limits: nothing a file says can exhaust the server.

Only PyYAML's safe loader (no arbitrary objects): ``yaml.safe_load_all``, or the same safe
constructor over libyaml (``CSafeLoader``) when PyYAML was built with it — 5–10 times
faster, and libyaml refuses nesting deeper than 1000 levels by itself. PyYAML builds an alias as a shared
reference, so a "billion laughs" file parses quickly but is enormous the moment anything
walks it; every document is therefore walked once here with a budget of values, before
anything else touches it. Deep nesting (which would exhaust the parser's recursion) and
values JSON cannot hold (dates, binary, sets, NaN, NUL characters) are refused too.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

import yaml

from .problems import Problems
from .rules import describe, entity_ref

MAX_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 1000
MAX_VALUES = 250_000  # per file, counted as if every alias were written out
MAX_DEPTH = 40
MAX_TYPE_PROBLEMS = 20  # per document; the first ones are enough to act on
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL's text and jsonb refuse both


@dataclass(frozen=True)
class Document:
    index: int  # 1-based position in the file, empty documents included
    data: dict


def label(data: object) -> str | None:
    """The entity a document is about, for messages, as far as it can be told."""
    if not isinstance(data, dict):
        return None
    kind, metadata = data.get("kind"), data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    if isinstance(kind, str) and isinstance(name, str) and kind and name:
        return entity_ref(kind[:63], name[:100], namespace if isinstance(namespace, str) and namespace else "default")
    return None


def decode(raw: str | bytes, problems: Problems) -> str | None:
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > MAX_BYTES:
        problems.add(f"the file is {size / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB. "
                     "Split it into several files and import each.")
        return None
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(f"the file is not UTF-8 text (byte {exc.start} is {raw[exc.start:exc.start + 1]!r}); "
                     "save it as UTF-8 and import it again.")
        return None


def parse_documents(raw: str | bytes, *, problems: Problems) -> list[Document]:
    text = decode(raw, problems)
    if text is None:
        return []
    documents: list[Document] = []  # filled as the parser goes, so a syntax error keeps what came before
    position = [0]

    def counted():
        for data in _load_all(text):
            position[0] += 1
            yield data

    try:
        checked_documents(counted(), problems=problems, into=documents)
    except yaml.YAMLError as exc:
        problems.add(_yaml_message(exc), document=position[0] + 1)
    except RecursionError:  # the pure-Python parser, on absurd nesting
        problems.add(f"the YAML is nested too deeply to read (the limit is {MAX_DEPTH} levels); flatten it.",
                     document=position[0] + 1)
    return documents


def checked_documents(objects, *, problems: Problems, into: list[Document] | None = None) -> list[Document]:
    """The mappings among parsed documents, each walked within the limits; the rest reported."""
    documents: list[Document] = [] if into is None else into
    budget = [MAX_VALUES]
    for index, data in enumerate(objects, start=1):
        if index > MAX_DOCUMENTS:
            problems.add(f"the file has more than {MAX_DOCUMENTS} documents; split it into several files.")
            break
        if data is None:
            continue  # an empty document, e.g. after a leading or trailing '---'
        if not isinstance(data, dict):
            problems.add(f"this document is a {_type_name(data)}, not a mapping: each document must be one "
                         "entity with apiVersion, kind, metadata and spec.", document=index)
            continue
        if _check_values(data, index=index, problems=problems, budget=budget):
            documents.append(Document(index=index, data=data))
        if budget[0] < 0:
            break
    return documents


def _load_all(text: str):
    if getattr(yaml, "CSafeLoader", None) is not None:
        return yaml.load_all(text, Loader=yaml.CSafeLoader)  # noqa: S506 — the safe constructor, in C
    return yaml.safe_load_all(text)


def _check_values(data: dict, *, index: int, problems: Problems, budget: list[int]) -> bool:
    """Walk the document once, iteratively, within the file's budget. False if it must be dropped.

    Dates become ISO text in place: YAML 1.2, which Backstage reads with, has no dates.
    """
    entity = label(data)
    found = 0
    stack: list[tuple[object, str, int, object, object]] = [(data, "", 0, None, None)]
    while stack:
        value, path, depth, parent, slot = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            problems.add(f"the file expands to more than {MAX_VALUES:,} values. If it repeats parts with YAML "
                         "aliases (&anchor / *alias), write them out; otherwise split the file.",
                         document=index, entity=entity)
            return False
        if depth > MAX_DEPTH:
            problems.add(f"nested more than {MAX_DEPTH} levels deep; flatten it.", document=index, entity=entity,
                         field=path or None)
            return False
        message = None
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    message = (f"the key {describe(key)} is a {_type_name(key)}; keys must be text "
                               f"(quote it: '{key}')")
                    break
                if _UNSTORABLE.search(key):
                    message = f"the key {describe(key)} contains a NUL character or a lone surrogate; remove it"
                    break
                stack.append((item, f"{path}.{key}" if path else key, depth + 1, value, key))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1, value, i) for i, item in enumerate(value))
        elif isinstance(value, str):
            if _UNSTORABLE.search(value):
                message = "contains a NUL character (\\0) or a lone surrogate (\\ud800–\\udfff); remove it"
        elif isinstance(value, float):
            if not math.isfinite(value):
                message = f"{value} cannot be stored; use a finite number or quote it as text"
        elif isinstance(value, (datetime.date, datetime.datetime)) and parent is not None:
            parent[slot] = value.isoformat()
        elif not isinstance(value, (bool, int)) and value is not None:
            message = f"is a {_type_name(value)}, which JSON cannot hold; quote it to keep it as text"
        if message:
            found += 1
            if found <= MAX_TYPE_PROBLEMS:
                problems.add(message, document=index, entity=entity, field=path or None)
    return found == 0


def _type_name(value: object) -> str:
    names = {dict: "mapping", list: "list", str: "string", int: "number", float: "number", bool: "boolean",
             type(None): "null", bytes: "binary value", set: "set"}
    for cls, name in names.items():
        if type(value) is cls:
            return name
    return {"date": "date", "datetime": "date and time"}.get(type(value).__name__, type(value).__name__)


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    if "nesting depth" in str(problem):
        return f"the YAML is nested too deeply to read{where} (the limit is {MAX_DEPTH} levels); flatten it."
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"unsupported YAML{where}: {problem}. Remove the '!!' tag; plain text, numbers, lists and mappings only."
    return f"this is not valid YAML{where}: {problem}. Fix the YAML and import it again."
