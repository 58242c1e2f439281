"""The stage's event types (published by the studio on ``stage.<slug>``): one JSON Schema per type in ``event_schemas/``."""

from __future__ import annotations

import json
from pathlib import Path

from apps.events.schemas import register_event_type

SCHEMA_DIR = Path(__file__).parent / "event_schemas"

JOB, CAPTION, VIDEO, NOTE = "stage.job", "stage.caption", "stage.video", "stage.note"


def schema_path(type_name: str) -> Path:
    return SCHEMA_DIR / f"{type_name}.schema.json"


for _path in sorted(SCHEMA_DIR.glob("*.schema.json")):
    register_event_type(_path.name.removesuffix(".schema.json"), json.loads(_path.read_text()))
