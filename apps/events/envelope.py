"""The wire form of an event. Built once per publish, never re-serialised per client.

The body kept in the log has no ``seq`` (it is not known until the log assigns it);
:func:`with_seq` splices it in front, which is why ``body`` must start with ``{``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

PROTOCOL_VERSION = 1


def body(*, group: str, type: str, payload: dict) -> str:
    ts = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps(
        {"type": type, "v": PROTOCOL_VERSION, "group": group, "ts": ts, "payload": payload},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def with_seq(seq: int, body_text: str) -> str:
    return f'{{"seq":{seq},{body_text[1:]}'


def control(type: str, **fields) -> str:
    return json.dumps({"type": type, "v": PROTOCOL_VERSION, **fields}, separators=(",", ":"))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
