"""VisionSpace's own fields as ``visionspace.io/*`` annotations: text in the file, typed in the models.

Annotation values are strings in Backstage (quote numbers: ``visionspace.io/replicas: "2"``).
Each annotation is one ``Codec``: parse (text → model value, ValueError with what to write)
and render (model value → text). Export writes the container fields that differ from the
model's defaults, so a file says what is particular about a service and nothing more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches

from apps.catalog.models import Category, ContainerSpec, ContainerStatus, Runtime
from apps.core.sensitive import is_secret_name

PREFIX = "visionspace.io/"

_IMAGE = re.compile(r"^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
                    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")
_CPU = re.compile(r"^(?:\d+(?:\.\d+)?|\d+m)$")
_MEMORY = re.compile(r"^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|k|M|G|T)?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REGION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Codec:
    annotation: str
    target: str  # "service" or "container"
    attr: str
    parse: Callable[[str], object]
    render: Callable[[object], str] = str


def _choice(choices: type) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices.values:
            raise ValueError(f"{text!r} is not one of {', '.join(choices.values)}")
        return text
    return parse


def _text(max_length: int, pattern: re.Pattern | None = None, example: str = "") -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise ValueError(f"is {len(text)} characters long; the limit is {max_length}")
        if pattern is not None and not pattern.match(text):
            raise ValueError(f"{text!r} is not valid here{f'; write it like {example}' if example else ''}")
        return text
    return parse


def _image(text: str) -> str:
    if "@" in text or re.search(r":[^/]*$", text.split("/", 1)[-1] if "/" in text else text):
        raise ValueError(f"{text!r} includes a tag or digest; put those in visionspace.io/tag and "
                         "visionspace.io/digest")
    return _text(300, _IMAGE, "gcr.io/my-project/my-service")(text)


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"\d{1,6}", text.strip()):
            raise ValueError(f"{text!r} is not a whole number; write it like \"2\"")
        number = int(text)
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}–{high}")
        return number
    return parse


def _ports(text: str) -> list[int]:
    port = _integer(1, 65535)
    return [port(part) for part in text.split(",") if part.strip()]


def _regions(text: str) -> list[str]:
    regions = [part.strip() for part in text.split(",") if part.strip()]
    for region in regions:
        if len(region) > 63 or not _REGION.match(region):
            raise ValueError(f"{region!r} is not a region name like us-west1")
    return regions


def _path(text: str) -> str:
    if not text.startswith("/") or len(text) > 200 or any(ch.isspace() for ch in text):
        raise ValueError(f"{text!r} is not a URL path; write it like /healthz")
    return text


def _url(text: str) -> str:
    if len(text) > 200:
        raise ValueError(f"is {len(text)} characters long; the limit is 200")
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", text):
        raise ValueError(f"{text!r} is not an http:// or https:// URL")
    return text


def _json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"is not JSON ({exc}); write {what}") from None


def _env(text: str) -> dict[str, str]:
    value = _json(text, 'a JSON object such as {"LOG_LEVEL": "info"}')
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError('must be a JSON object of text values, such as {"LOG_LEVEL": "info"}')
    bad = [k for k in value if not _ENV_NAME.match(k)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an environment variable name (letters, digits, '_')")
    secret = [k for k in value if is_secret_name(k)]
    if secret:
        raise ValueError(f"{secret[0]} looks like a secret: store it in the key manager and list it in "
                         f"visionspace.io/secret-refs instead, e.g. [{{\"env\": \"{secret[0]}\", \"key\": \"...\"}}]")
    return value


def _secret_refs(text: str) -> list[dict[str, str]]:
    example = '[{"env": "DAILY_API_KEY", "key": "daily/api-key"}]'
    value = _json(text, f"a JSON list such as {example}")
    if not isinstance(value, list) or not all(
        isinstance(item, dict) and set(item) == {"env", "key"} and all(isinstance(v, str) and v for v in item.values())
        for item in value
    ):
        raise ValueError(f"must be a JSON list of {{\"env\", \"key\"}} objects (names in the key manager, never "
                         f"secret values), such as {example}")
    bad = [item["env"] for item in value if not _ENV_NAME.match(item["env"])]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an environment variable name (letters, digits, '_')")
    return value


def _string_map(text: str) -> dict[str, str]:
    value = _json(text, 'a JSON object such as {"run.googleapis.com/execution-environment": "gen2"}')
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("must be a JSON object of text values")
    return value


def _dump(value: object) -> str:
    return json.dumps(value, sort_keys=isinstance(value, dict), separators=(",", ":"), ensure_ascii=False)


def _join(value: object) -> str:
    return ",".join(str(item) for item in value)


SERVICE_CODECS = [
    Codec(f"{PREFIX}category", "service", "category", _choice(Category)),
    Codec(f"{PREFIX}status", "service", "status", _choice(ContainerStatus)),
    Codec(f"{PREFIX}description", "service", "description", _text(100_000)),
    Codec(f"{PREFIX}component-url", "service", "component_url", _url),
]
CONTAINER_CODECS = [
    Codec(f"{PREFIX}image", "container", "image", _image),
    Codec(f"{PREFIX}tag", "container", "tag", _text(128, _TAG, "1.4.2")),
    Codec(f"{PREFIX}digest", "container", "digest", _text(80, _DIGEST, "sha256:<64 hex digits>")),
    Codec(f"{PREFIX}runtime", "container", "runtime", _choice(Runtime)),
    Codec(f"{PREFIX}ports", "container", "ports", _ports, _join),
    Codec(f"{PREFIX}cpu", "container", "cpu", _text(10, _CPU, '"2" or "500m"')),
    Codec(f"{PREFIX}memory", "container", "memory", _text(10, _MEMORY, '"512Mi" or "4Gi"')),
    Codec(f"{PREFIX}replicas", "container", "replicas", _integer(0, 1000)),
    Codec(f"{PREFIX}min-instances", "container", "min_instances", _integer(0, 1000)),
    Codec(f"{PREFIX}max-instances", "container", "max_instances", _integer(1, 1000)),
    Codec(f"{PREFIX}concurrency", "container", "concurrency", _integer(1, 1000)),
    Codec(f"{PREFIX}regions", "container", "regions", _regions, _join),
    Codec(f"{PREFIX}liveness-path", "container", "liveness_path", _path),
    Codec(f"{PREFIX}readiness-path", "container", "readiness_path", _path),
    Codec(f"{PREFIX}health-url", "container", "health_url", _url),
    Codec(f"{PREFIX}env", "container", "env", _env, _dump),
    Codec(f"{PREFIX}secret-refs", "container", "secret_refs", _secret_refs, _dump),
    Codec(f"{PREFIX}cloud-run-annotations", "container", "cloud_run_annotations", _string_map, _dump),
    Codec(f"{PREFIX}dockerfile", "container", "dockerfile", _text(1_000_000)),
]
CODECS = {codec.annotation: codec for codec in SERVICE_CODECS + CONTAINER_CODECS}


@dataclass
class Parsed:
    service: dict
    container: dict | None
    errors: list[tuple[str, str]]  # (annotation, message)
    warnings: list[tuple[str, str]]


def is_field_annotation(key: str) -> bool:
    """Other ``visionspace.io/*`` annotations (build-context, auth, scan, …) are read by other apps as they are."""
    return key in CODECS


def parse_annotations(annotations: dict[str, str]) -> Parsed:
    """The field annotations of one service as model values; near-misses of their names are warned about."""
    service: dict = {}
    container: dict = {}
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    suffixes = {key.removeprefix(PREFIX): key for key in CODECS}
    for key, text in annotations.items():
        codec = CODECS.get(key)
        if codec is None:
            near = get_close_matches(key.removeprefix(PREFIX), suffixes, n=1, cutoff=0.8)
            if key.startswith(PREFIX) and near:
                warnings.append((key, f"kept as a plain annotation; did you mean {suffixes[near[0]]}?"))
            continue
        try:
            value = codec.parse(text)
        except ValueError as exc:
            errors.append((key, str(exc)))
            continue
        (service if codec.target == "service" else container)[codec.attr] = value
    if container and "image" not in container and not any(key == f"{PREFIX}image" for key, _ in errors):
        errors.append((f"{PREFIX}image", "the container annotations need visionspace.io/image (the repository, "
                                          "e.g. gcr.io/my-project/my-service)"))
    low, high = container.get("min_instances"), container.get("max_instances")
    if low is not None and high is not None and low > high:
        errors.append((f"{PREFIX}min-instances", f"min-instances ({low}) is above max-instances ({high})"))
    service.setdefault("category", Category.INTEGRATION)
    service.setdefault("status", ContainerStatus.CONTAINERISED if container else ContainerStatus.NEEDS_CONTAINERISATION)
    return Parsed(service=service, container=container or None, errors=errors, warnings=warnings)


def _default(attr: str) -> object:
    return ContainerSpec._meta.get_field(attr).get_default()


def render_annotations(*, service, container) -> dict[str, str]:
    """The ``visionspace.io/*`` annotations of a service (category and status always, the rest when set)."""
    out: dict[str, str] = {f"{PREFIX}category": service.category, f"{PREFIX}status": service.status}
    if service.description:
        out[f"{PREFIX}description"] = service.description
    if service.component_url:
        out[f"{PREFIX}component-url"] = service.component_url
    if container is not None:
        out[f"{PREFIX}image"] = container.image
        for codec in CONTAINER_CODECS[1:]:
            value = getattr(container, codec.attr)
            if value != _default(codec.attr):
                out[codec.annotation] = codec.render(value)
    return out
