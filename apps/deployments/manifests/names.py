"""Naming, validation and escaping shared by every artefact renderer.

Catalogue data is untrusted text. Everything that becomes a name (a YAML key, a DNS
label, a file name) is derived here from a strict grammar; everything that stays a
value is checked to be representable and then written by ``yaml_dump``, never by a
string template. A value that no target can carry (a NUL byte, a malformed image
reference) raises ``ArtefactError`` with what to fix, instead of being altered.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import ObjectDoesNotExist

from apps.catalog.seed import image_name


class ArtefactError(ValueError):
    """The catalogue holds something no artefact can carry; the message says what to change."""


# Cloud Run's defaults, used for every target so that all artefacts agree.
DEFAULT_CPU = "1"
DEFAULT_MEMORY = "512Mi"

DNS_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
DNS_1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# distribution/reference: the repository, the tag and the digest of an image reference.
_DOMAIN_COMPONENT = r"(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY = re.compile(rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
DIGEST = re.compile(r"sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}")
MOVING_TAGS = {"", "latest"}
# Kubernetes resource.Quantity: a decimal number and a binary, decimal or exponent suffix.
QUANTITY = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][-+]?[0-9]+)?")
_SUFFIX = {
    "": Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}
# An HTTP path as probes send it: RFC 3986 path characters, an optional query.
HTTP_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(\?[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _shorten(name: str, *, original: str, max_length: int) -> str:
    return f"{name[: max_length - 9].rstrip('-')}-{_digest(original)}"


# --- names -----------------------------------------------------------------------------


def dns_label(slug: str, *, max_length: int = 63) -> str:
    """A DNS-1035 label from a slug, in the style of the image names: ``diamondSolutionsMenu`` → ``diamond-solutions-menu``.

    Valid as a compose service, Knative/Cloud Run service and Kubernetes object name.
    """
    name = re.sub(r"[^a-z0-9]+", "-", image_name(slug).lower()).strip("-") or "service"
    if not name[0].isalpha():
        name = f"svc-{name}"
    if len(name) > max_length:
        name = _shorten(name, original=slug, max_length=max_length)
    return name


def unique_names(slugs: Sequence[str]) -> list[str]:
    """One ``dns_label`` per slug, made unique across a fleet.

    A slug already equal to its label keeps it; the others in a collision get a suffix
    from a hash of their own slug, so a name never depends on the order of the fleet.
    """
    names = [dns_label(slug) for slug in slugs]
    taken = Counter(names)
    out = [
        _shorten(name, original=slug, max_length=63) if taken[name] > 1 and slug != name else name
        for slug, name in zip(slugs, names, strict=True)
    ]
    repeated = [name for name, count in Counter(out).items() if count > 1]
    if repeated:
        raise ArtefactError(f"Two services would both be named '{repeated[0]}'. Give one of them a different slug.")
    return out


def secret_name(key: str) -> str:
    """The secret (Secret Manager secret, Kubernetes Secret, compose secret) that holds a key-manager key.

    A key that is already a DNS label is used as is; any other gets a hash suffix, so
    ``daily/api-key`` and ``daily-api/key`` never share a secret.
    """
    if len(key) <= 63 and DNS_1123_LABEL.fullmatch(key):
        return key
    name = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "secret"
    return _shorten(name, original=key, max_length=63)


def secret_variable(key: str) -> str:
    """The host environment variable from which compose reads the secret of ``key``."""
    return "VS_SECRET_" + secret_name(key).upper().replace("-", "_")


# --- values ----------------------------------------------------------------------------


def text(value: Any, *, what: str) -> str:
    """A string that every target can carry: numbers and booleans become their usual spelling."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise ArtefactError(f"{what} is a {type(value).__name__}; write it as a string.")
    if "\x00" in value:
        raise ArtefactError(f"{what} contains a NUL character, which no environment or manifest can carry; remove it.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ArtefactError(f"{what} is not valid Unicode text (a lone surrogate); re-enter it.") from None
    return value


def spec_of(service):
    """The service's ContainerSpec, or an error that says to add one."""
    try:
        return service.container
    except ObjectDoesNotExist:
        raise ArtefactError(f"Service '{service.slug}' has no container spec; add one in the catalogue first.") from None


def image_reference(service) -> str:
    """``repository[:tag][@digest]``, checked against the reference grammar Docker uses."""
    spec = spec_of(service)
    where = f"Service '{service.slug}'"
    repository, tag, digest = (text(v or "", what=f"{where}: image") for v in (spec.image, spec.tag, spec.digest))
    if len(repository) > 255 or not REPOSITORY.fullmatch(repository):
        raise ArtefactError(
            f"{where}: image {repository!r} is not a repository name; use registry/path in lower case, "
            "e.g. gcr.io/api-for-warp-drive/visionspace (the tag and digest have their own fields)."
        )
    if tag and not TAG.fullmatch(tag):
        raise ArtefactError(f"{where}: tag {tag!r} is not valid; use up to 128 letters, digits, '_', '.' or '-'.")
    if digest and not DIGEST.fullmatch(digest):
        raise ArtefactError(f"{where}: digest {digest!r} is not valid; use sha256: followed by 64 lower-case hex digits.")
    ref = f"{repository}:{tag}" if tag else repository
    return f"{ref}@{digest}" if digest else ref


def is_pinned(service) -> bool:
    spec = spec_of(service)
    return bool(spec.digest) or (spec.tag or "") not in MOVING_TAGS


def env_pairs(service) -> list[tuple[str, str]]:
    """The non-secret environment, in catalogue order, with checked names and values."""
    spec = spec_of(service)
    env = spec.env or {}
    if not isinstance(env, dict):
        raise ArtefactError(f"Service '{service.slug}': env must be a mapping of NAME: value.")
    out = []
    for name, value in env.items():
        out.append((env_name(name, service=service), text(value, what=f"Service '{service.slug}': {name}")))
    secrets = {env for env, _ in secret_pairs(service)}
    clash = secrets & {name for name, _ in out}
    if clash:
        raise ArtefactError(
            f"Service '{service.slug}': {sorted(clash)[0]} is both a plain variable and a secret; keep only the secret."
        )
    return out


def secret_pairs(service) -> list[tuple[str, str]]:
    """``(ENV_NAME, key)`` for each secret reference; the values stay in the key manager."""
    refs = spec_of(service).secret_refs or []
    out = []
    for ref in refs:
        if not isinstance(ref, dict) or not ref.get("env") or not ref.get("key"):
            raise ArtefactError(f"Service '{service.slug}': each secret reference needs 'env' and 'key', got {ref!r}.")
        key = text(ref["key"], what=f"Service '{service.slug}': secret key")
        out.append((env_name(ref["env"], service=service), key))
    repeated = [name for name, count in Counter(name for name, _ in out).items() if count > 1]
    if repeated:
        raise ArtefactError(f"Service '{service.slug}': {repeated[0]} has two secret references; keep one.")
    return out


def env_name(name: Any, *, service) -> str:
    if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
        raise ArtefactError(
            f"Service '{service.slug}': {name!r} is not an environment variable name; "
            "use letters, digits and '_', not starting with a digit."
        )
    return name


def ports(service) -> list[int]:
    """Container ports, main one first, each checked to be a TCP port number."""
    values = spec_of(service).ports or []
    for port in values:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ArtefactError(f"Service '{service.slug}': port {port!r} is not a number from 1 to 65535.")
    if len(set(values)) != len(values):
        raise ArtefactError(f"Service '{service.slug}': ports {values} list a port twice.")
    return list(values)


def http_path(service, field: str) -> str | None:
    """A probe path (``liveness_path`` / ``readiness_path``), or None when the catalogue leaves it empty."""
    path = text(getattr(spec_of(service), field) or "", what=f"Service '{service.slug}': {field}")
    if not path:
        return None
    if not HTTP_PATH.fullmatch(path):
        raise ArtefactError(
            f"Service '{service.slug}': {field} {path!r} is not a URL path; start with '/' and percent-encode "
            "spaces and other special characters."
        )
    return path


def quantity(value: Any, *, what: str) -> Decimal:
    """The amount a Kubernetes quantity stands for (``500m`` → 0.5, ``4Gi`` → 4294967296)."""
    match = QUANTITY.fullmatch(text(value, what=what))
    if not match:
        raise ArtefactError(f"{what} {value!r} is not a Kubernetes quantity; write e.g. \"2\", \"500m\" or \"4Gi\".")
    suffix = match["suffix"] or ""
    try:
        number = Decimal(match["number"])
        amount = number * (Decimal(10) ** int(suffix[1:]) if suffix[:1] in {"e", "E"} else _SUFFIX[suffix])
    except (InvalidOperation, ValueError):
        raise ArtefactError(f"{what} {value!r} is not a Kubernetes quantity.") from None
    if amount <= 0:
        raise ArtefactError(f"{what} {value!r} must be more than zero.")
    return amount


def cpu(service) -> str:
    value = text(spec_of(service).cpu or DEFAULT_CPU, what=f"Service '{service.slug}': cpu")
    quantity(value, what=f"Service '{service.slug}': cpu")
    return value


def memory(service) -> str:
    value = text(spec_of(service).memory or DEFAULT_MEMORY, what=f"Service '{service.slug}': memory")
    amount = quantity(value, what=f"Service '{service.slug}': memory")
    if amount != amount.to_integral_value():
        raise ArtefactError(f"Service '{service.slug}': memory {value!r} is not a whole number of bytes; use Mi or Gi.")
    return value


def scaling(service) -> tuple[int, int, int]:
    """``(replicas, min_instances, max_instances)``, checked to be in order."""
    spec = spec_of(service)
    numbers = (spec.replicas, spec.min_instances, spec.max_instances)
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in numbers):
        raise ArtefactError(f"Service '{service.slug}': replicas and instance counts must be whole numbers ≥ 0.")
    if spec.max_instances < max(spec.min_instances, 1):
        raise ArtefactError(
            f"Service '{service.slug}': max_instances ({spec.max_instances}) must be at least 1 and at least "
            f"min_instances ({spec.min_instances})."
        )
    return numbers


# --- output ----------------------------------------------------------------------------

# A string written without quotes must mean the same string to every YAML parser, 1.1
# (PyYAML) and 1.2 (Go: Compose, Kubernetes): no digits first (0o17, 1e3), no booleans,
# no ': ' or trailing ':' (a mapping), no '#', '&', '*', '!' or quotes.
_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./@-]*(?::[A-Za-z0-9_./@-]+)*")
_AMBIGUOUS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True  # Never anchors: GitHub Actions rejects them and they hide what repeats.


_LINE = re.compile(r"(?:[ -~]*[!-~])?")


def _literal_ok(value: str) -> bool:
    """Printable ASCII lines ending in one newline: a ``|`` block shows them as they are."""
    if not value.endswith("\n") or value.endswith("\n\n"):
        return False
    lines = value[:-1].split("\n")
    return lines[0][:1] not in {"", " "} and all(_LINE.fullmatch(line) for line in lines)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _PLAIN.fullmatch(value) and value.lower() not in _AMBIGUOUS:
        style = None
    else:
        style = "|" if _literal_ok(value) else '"'  # the emitter falls back to '"' where '|' cannot go
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def yaml_dump(document: Any) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20)


def yaml_dump_all(documents: Iterable[Any]) -> str:
    return yaml.dump_all(
        list(documents), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20, explicit_start=True
    )


def header(services: Sequence, *, names: Sequence[str], pinned_matters: bool = True) -> str:
    """A comment block. Only fixed text and sanitised names go here, never catalogue text."""
    lines = ["# Generated by VisionSpace from the service catalogue: change the catalogue, not this file."]
    if pinned_matters:
        unpinned = [name for service, name in zip(services, names, strict=True) if not is_pinned(service)]
        if unpinned:
            lines.append(
                "# Not pinned (moving tag, no digest): " + ", ".join(unpinned)
                + ". Record a version tag or digest in the catalogue before production."
            )
    return "\n".join(lines) + "\n"
