"""Backstage's format rules: names, namespaces, tags, label and annotation keys, entity references.

After @backstage/catalog-model (KubernetesValidatorFunctions, CommonValidatorFunctions,
parseEntityRef). One deliberate difference: Backstage's own name check lets separators
repeat (``a--b``); VisionSpace slugs do not (``apps.catalog.models.ENTITY_NAME``), so such a
name is refused here rather than stored as a slug the admin would later reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from apps.catalog.models import ENTITY_NAME

DEFAULT_NAMESPACE = "default"
API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
SERVICE_KINDS = ("Component", "Resource", "API")
KINDS = ("System", *SERVICE_KINDS)
LINK_SCHEMES = ("https", "http", "mailto")  # not javascript:, data:, file: — links are rendered as <a href>

_NAME = re.compile(ENTITY_NAME)
_OBJECT_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_LABEL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TAG = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")
_KIND = re.compile(r"^[a-zA-Z][a-z0-9A-Z]*$")

NAME_RULE = "use 1–63 letters or digits, separated by single '-', '_' or '.'"
TAG_RULE = "use lowercase letters, digits, ':', '+' or '#' in groups joined by single '-', at most 63 characters"
KEY_RULE = ("use an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, "
            "'-', '_' or '.' that starts and ends with a letter or digit (e.g. example.com/service-id)")


def is_valid_name(value: object) -> bool:
    return isinstance(value, str) and bool(_NAME.match(value))


def is_valid_kind(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 63 and bool(_KIND.match(value))


def is_valid_namespace(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_DNS_LABEL.match(value))


def is_valid_tag(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_TAG.match(value))


def _is_object_name(value: str) -> bool:
    return 1 <= len(value) <= 63 and bool(_OBJECT_NAME.match(value))


def _is_dns_subdomain(value: str) -> bool:
    return 1 <= len(value) <= 253 and all(1 <= len(p) <= 63 and _DNS_LABEL.match(p) for p in value.split("."))


def is_valid_key(value: object) -> bool:
    """A label or annotation key: ``[prefix/]name`` (Kubernetes' rule, as Backstage applies it)."""
    if not isinstance(value, str):
        return False
    parts = value.split("/")
    if len(parts) == 1:
        return _is_object_name(parts[0])
    return len(parts) == 2 and _is_dns_subdomain(parts[0]) and _is_object_name(parts[1])


def is_valid_label_value(value: object) -> bool:
    return value == "" or (isinstance(value, str) and _is_object_name(value))


def is_valid_url(value: object) -> bool:
    if not isinstance(value, str) or not value or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def suggest(value: str, *, lower: bool = False) -> str | None:
    """A nearby valid spelling to offer in an error message, if there is one."""
    text = value.lower() if lower else value
    allowed = r"[^a-z0-9:+#]+" if lower else r"[^A-Za-z0-9]+"
    candidate = re.sub(allowed, "-", text).strip("-")[:63].strip("-")
    return candidate or None


def describe(value: object) -> str:
    """A short, safe rendering of a bad value for a message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class EntityRef:
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind.lower()}:{self.namespace}/{self.name}"

    @property
    def key(self) -> tuple[str, str]:
        """Backstage compares references case-insensitively."""
        return self.kind.lower(), self.name.lower()


def entity_ref(kind: str, name: str, namespace: str = DEFAULT_NAMESPACE) -> str:
    return str(EntityRef(kind=kind, namespace=namespace, name=name))


def parse_ref(value: object, *, default_kind: str | None, default_namespace: str = DEFAULT_NAMESPACE) -> EntityRef:
    """``[kind:][namespace/]name`` → EntityRef; ValueError with what to write instead."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an entity reference such as 'component:my-service', found {describe(value)}")
    colon, slash = value.find(":"), value.find("/")
    if slash != -1 and slash < colon:
        colon = -1
    kind = value[:colon] if colon != -1 else None
    namespace = value[colon + 1:slash] if slash != -1 else None
    name = value[max(colon + 1, slash + 1):]
    if kind == "" or namespace == "" or name == "":
        raise ValueError(f"{value!r} is not on the form [kind:][namespace/]name")
    kind = kind or default_kind
    if not kind:
        raise ValueError(f"{value!r} needs a kind here, e.g. 'component:{name}' or 'resource:{name}'")
    return EntityRef(kind=kind, namespace=namespace or default_namespace, name=name)
