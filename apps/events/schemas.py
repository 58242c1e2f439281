"""JSON Schemas of the event protocol, and the registry of event types.

An app adds its own event types with :func:`register_event_type` (from its
``AppConfig.ready``) or by dropping ``<type>.schema.json`` into ``schemas/types/``.
Publishing a type that has no schema is an error: every event on the wire is documented.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).parent / "schemas"

_types: dict[str, Draft202012Validator] = {}


class UnknownEventType(ValueError):
    pass


class InvalidPayload(ValueError):
    pass


def _validator(schema: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def register_event_type(name: str, schema: dict) -> None:
    _types[name] = _validator(schema)


def _load_builtin_types() -> None:
    for path in sorted((SCHEMA_DIR / "types").glob("*.schema.json")):
        register_event_type(path.name.removesuffix(".schema.json"), json.loads(path.read_text()))


def event_types() -> list[str]:
    return sorted(_types)


def validate_payload(type_name: str, payload: dict) -> None:
    validator = _types.get(type_name)
    if validator is None:
        raise UnknownEventType(
            f"Event type {type_name!r} has no schema: add apps/<app>/.../{type_name}.schema.json "
            "and register it with register_event_type()."
        )
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    if errors:
        raise InvalidPayload(f"{type_name}: {errors[0].message} at {list(errors[0].path) or 'payload'}")


@lru_cache(maxsize=None)
def protocol_validator(name: str) -> Draft202012Validator:
    """``envelope``, ``control`` or ``client``."""
    return _validator(json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text()))


def validate_server_message(message: dict) -> None:
    """Raise if a message a client received is not one the protocol documents."""
    if "seq" in message and message.get("type") not in {"hello", "resumed", "reset"}:
        protocol_validator("envelope").validate(message)
        validate_payload(message["type"], message["payload"])
    else:
        protocol_validator("control").validate(message)


_load_builtin_types()
