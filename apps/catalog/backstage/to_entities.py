"""Backstage documents → the entities VisionSpace stores, checked the way Backstage checks them.

Pure: no database. Every problem of every document is collected; references are only
parsed here (whether they resolve is the importer's job, which can see the catalogue).

Fields our models have no column for (labels, unknown metadata, spec fields such as an
API's ``definition`` or ``subcomponentOf``, a System's tags, links and ``domain``, a
``v1beta1`` apiVersion) are kept under the annotation key ``@backstage``, which no
Backstage annotation can collide with ('@' is not allowed in keys), so exports give
them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.catalog.models import RESERVED_SLUGS, Kind, Lifecycle, RelationType

from . import rules
from .annotations import is_field_annotation, parse_annotations
from .parse import Document, label
from .problems import Problems

EXTRAS = "@backstage"
ORPHAN = "backstage.io/orphan"
PURPOSE_MAX = 200
_ROOT = {"apiVersion", "kind", "metadata", "spec"}
_IGNORED_ROOT = {"relations", "status"}  # written by a Backstage server, recomputed here
_IGNORED_METADATA = {"uid", "etag", "generation"}
_METADATA = {"name", "namespace", "title", "description", "labels", "annotations", "tags", "links"}
_SERVICE_TARGETS = {k.lower() for k in rules.SERVICE_KINDS}


@dataclass
class Entity:
    document: int
    kind: str
    name: str
    ref: str
    fields: dict
    container: dict | None = None
    system: rules.EntityRef | None = None
    relations: list[tuple[str, rules.EntityRef, str]] = field(default_factory=list)  # (type, target, field path)
    checked_refs: list[tuple[rules.EntityRef, str]] = field(default_factory=list)  # must resolve, not stored
    valid: bool = True  # False: reported, kept only so that its references are checked too

    @property
    def is_system(self) -> bool:
        return self.kind == "System"

    @property
    def key(self) -> tuple[str, str]:
        """Identity in VisionSpace: Systems have their own table, the three other kinds share Service."""
        return ("system" if self.is_system else "service", self.name.lower())


class _Doc:
    """One document being read: reports problems against it and remembers whether any occurred."""

    def __init__(self, document: Document, problems: Problems):
        self.index, self.data, self.problems = document.index, document.data, problems
        self.entity = label(document.data)
        self.failed = False

    def error(self, field: str | None, message: str) -> None:
        self.failed = True
        self.problems.add(message, document=self.index, entity=self.entity, field=field)

    def string(self, mapping: dict, key: str, path: str, *, required: bool,
               max_length: int | None = None) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(path, f"is required; add {key}: <value>")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(path, f"must be non-empty text, found {rules.describe(value)}")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(path, f"is {len(value)} characters long; VisionSpace keeps at most {max_length}")
            return None
        return value

    def mapping(self, mapping: dict, key: str, path: str, *, required: bool = False) -> dict | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(path, f"is required; add a {key}: mapping")
            return None
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping, found {rules.describe(value)}")
            return None
        return value

    def ref(self, value: object, path: str, *, default_kind: str | None, allowed: set[str] | None = None):
        try:
            ref = rules.parse_ref(value, default_kind=default_kind)
        except ValueError as exc:
            self.error(path, str(exc))
            return None
        if not rules.is_valid_name(ref.name):
            self.error(path, f"{rules.describe(value)} does not name an entity: {rules.NAME_RULE}")
            return None
        if ref.namespace.lower() != rules.DEFAULT_NAMESPACE:
            self.error(path, f"{rules.describe(value)} is in namespace {ref.namespace!r}; VisionSpace has one "
                             "namespace, 'default' — drop the namespace part")
            return None
        if allowed is not None and ref.kind.lower() not in allowed:
            self.error(path, f"{rules.describe(value)} is a {ref.kind}; here VisionSpace accepts "
                             f"{' or '.join(sorted(allowed))} references")
            return None
        return ref

    def refs(self, spec: dict, key: str, **kwargs) -> list[tuple[rules.EntityRef, str]]:
        """The references of a list field, each with its path (``spec.dependsOn[2]``)."""
        value = spec.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"spec.{key}", f"must be a list of entity references, found {rules.describe(value)}")
            return []
        found = [(self.ref(item, f"spec.{key}[{i}]", **kwargs), f"spec.{key}[{i}]") for i, item in enumerate(value)]
        return [(ref, path) for ref, path in found if ref is not None]


def to_entities(documents: list[Document], *, problems: Problems) -> list[Entity]:
    entities: list[Entity] = []
    seen: dict[tuple[str, str], Entity] = {}
    for document in documents:
        entity = _to_entity(_Doc(document, problems))
        if entity is None:
            continue
        twin = seen.get(entity.key)
        if twin is not None:
            same_kind = twin.kind == entity.kind
            problems.add(
                f"{entity.ref} is already defined in document {twin.document}"
                + ("" if same_kind else f" as {twin.ref} (components, resources and APIs share one list of names "
                                        "in VisionSpace)")
                + "; keep one of them or rename the other.",
                document=entity.document, entity=entity.ref, field="metadata.name")
            continue
        seen[entity.key] = entity
        entities.append(entity)
    return entities


def _to_entity(doc: _Doc) -> Entity | None:
    data = doc.data
    kind = data.get("kind")
    if kind not in rules.KINDS:
        spelled = {k.lower(): k for k in rules.KINDS}.get(kind.lower()) if isinstance(kind, str) else None
        if spelled:
            doc.error("kind", f"write {spelled!r}, not {kind!r}: Backstage's kinds are case-sensitive")
        elif rules.is_valid_kind(kind):
            doc.problems.warn(f"skipped: VisionSpace holds {', '.join(rules.KINDS)}, not {kind}; "
                              "keep that entity in Backstage.", document=doc.index, entity=doc.entity, field="kind")
        else:
            doc.error("kind", f"must be one of {', '.join(rules.KINDS)}, found {rules.describe(kind)}")
        return None
    for key in data:
        if key not in _ROOT | _IGNORED_ROOT:
            doc.error(key, f"unknown top-level field {key!r}; Backstage allows apiVersion, kind, metadata and spec")
    api_version = data.get("apiVersion")
    if api_version not in rules.API_VERSIONS:
        doc.error("apiVersion", f"must be {' or '.join(rules.API_VERSIONS)}, found {rules.describe(api_version)}")
    metadata = doc.mapping(data, "metadata", "metadata", required=True)
    spec = doc.mapping(data, "spec", "spec", required=True)
    if metadata is None:
        return None
    extras: dict = {} if api_version in (None, rules.API_VERSIONS[0]) else {"apiVersion": api_version}
    common = _metadata(doc, metadata, extras)
    if common is None:
        return None
    name = common["name"]
    entity = Entity(document=doc.index, kind=kind, name=name, ref=rules.entity_ref(kind, name[:100]), fields={})
    doc.entity = entity.ref
    if spec is not None:
        (_system_spec if kind == "System" else _service_spec)(doc, entity, spec, extras)
    annotations = common.pop("annotations")
    if kind == "System":
        _system_fields(doc, entity, common, annotations, extras)
    else:
        _service_fields(doc, entity, common, annotations, extras)
    entity.valid = not doc.failed
    return entity


def _metadata(doc: _Doc, metadata: dict, extras: dict) -> dict | None:
    name = metadata.get("name")
    if not rules.is_valid_name(name):
        hint = rules.suggest(name) if isinstance(name, str) else None
        doc.error("metadata.name", f"{rules.describe(name)} is not a valid name: {rules.NAME_RULE}"
                                   + (f" (e.g. {hint})" if hint else ""))
        if not isinstance(name, str) or not name:
            name = None  # nothing to call the entity by; its references cannot be checked either
    elif name.lower() in RESERVED_SLUGS:
        doc.error("metadata.name", f"{name!r} is reserved for a catalogue page (/catalogue/{name.lower()}/); choose another name")
    namespace = metadata.get("namespace", rules.DEFAULT_NAMESPACE)
    if not rules.is_valid_namespace(namespace):
        doc.error("metadata.namespace", f"{rules.describe(namespace)} is not a valid namespace: use lowercase "
                                        "letters and digits joined by single '-'")
    elif namespace != rules.DEFAULT_NAMESPACE:
        doc.error("metadata.namespace", f"{namespace!r}: VisionSpace has one namespace, 'default'; remove "
                                        "metadata.namespace")
    title = doc.string(metadata, "title", "metadata.title", required=False, max_length=200)
    description = doc.string(metadata, "description", "metadata.description", required=False)
    labels = doc.mapping(metadata, "labels", "metadata.labels") or {}
    for key, value in labels.items():
        if not rules.is_valid_key(key):
            doc.error(f"metadata.labels.{key}", f"{key!r} is not a valid label key: {rules.KEY_RULE}")
        if not rules.is_valid_label_value(value):
            doc.error(f"metadata.labels.{key}", f"{rules.describe(value)} is not a valid label value: "
                                                "empty, or at most 63 letters, digits, '-', '_' or '.'")
    annotations = doc.mapping(metadata, "annotations", "metadata.annotations") or {}
    for key, value in annotations.items():
        if not rules.is_valid_key(key):
            doc.error(f"metadata.annotations.{key}", f"{key!r} is not a valid annotation key: {rules.KEY_RULE}")
        if not isinstance(value, str):
            doc.error(f"metadata.annotations.{key}", f"annotation values are text; quote it: {key}: \"{value}\"")
    tags = metadata.get("tags", [])
    if not isinstance(tags, list):
        doc.error("metadata.tags", f"must be a list, found {rules.describe(tags)}")
        tags = []
    for i, tag in enumerate(tags):
        if not rules.is_valid_tag(tag):
            hint = rules.suggest(tag, lower=True) if isinstance(tag, str) else None
            doc.error(f"metadata.tags[{i}]", f"{rules.describe(tag)} is not a valid tag: {rules.TAG_RULE}"
                                             + (f" (e.g. {hint})" if hint else ""))
    links = _links(doc, metadata.get("links", []))
    if labels:
        extras["labels"] = labels
    rest = {k: v for k, v in metadata.items() if k not in _METADATA | _IGNORED_METADATA}
    if rest:
        extras["metadata"] = rest
    if name is None:
        return None
    return {"name": name, "title": title, "description": description, "annotations": annotations,
            "tags": tags, "links": links}


def _links(doc: _Doc, links: object) -> list:
    if not isinstance(links, list):
        doc.error("metadata.links", f"must be a list, found {rules.describe(links)}")
        return []
    for i, link in enumerate(links):
        path = f"metadata.links[{i}]"
        if not isinstance(link, dict):
            doc.error(path, f"must be a mapping with a url, found {rules.describe(link)}")
            continue
        url = link.get("url")
        if not rules.is_valid_url(url):
            found = "is missing" if url is None else f"{rules.describe(url)} is not a URL"
            doc.error(f"{path}.url", f"{found}; every link needs url: https://…")
        elif url.split(":", 1)[0].lower() not in rules.LINK_SCHEMES:
            doc.error(f"{path}.url", f"{rules.describe(url)}: links open in people's browsers, so VisionSpace "
                                     f"takes {', '.join(rules.LINK_SCHEMES)} links only")
        for key in ("title", "icon", "type"):
            if key in link and (not isinstance(link[key], str) or not link[key]):
                doc.error(f"{path}.{key}", f"must be non-empty text, found {rules.describe(link[key])}")
    return links


def _service_spec(doc: _Doc, entity: Entity, spec: dict, extras: dict) -> None:
    kind = entity.kind
    fields = entity.fields
    fields["kind"] = Kind(kind).value
    fields["type"] = doc.string(spec, "type", "spec.type", required=True, max_length=50)
    fields["owner"] = doc.string(spec, "owner", "spec.owner", required=True, max_length=200)
    if fields["owner"]:
        doc.ref(fields["owner"], "spec.owner", default_kind="Group")
    modelled = {"type", "owner", "system", "dependsOn"}
    if kind in ("Component", "API"):
        modelled.add("lifecycle")
        lifecycle = doc.string(spec, "lifecycle", "spec.lifecycle", required=True)
        if lifecycle is not None and lifecycle not in Lifecycle.values:
            doc.error("spec.lifecycle", f"{lifecycle!r}: VisionSpace knows {', '.join(Lifecycle.values)}")
        fields["lifecycle"] = lifecycle
    else:
        fields["lifecycle"] = Lifecycle.PRODUCTION
    if "system" in spec:
        entity.system = doc.ref(spec["system"], "spec.system", default_kind="System", allowed={"system"})
    for target, path in doc.refs(spec, "dependsOn", default_kind=None, allowed=_SERVICE_TARGETS):
        entity.relations.append((RelationType.DEPENDS_ON, target, path))
    entity.checked_refs += doc.refs(spec, "dependencyOf", default_kind=None, allowed=_SERVICE_TARGETS)
    if kind == "Component":
        modelled |= {"providesApis", "consumesApis"}
        for key, type_ in (("providesApis", RelationType.PROVIDES_API), ("consumesApis", RelationType.CONSUMES_API)):
            for target, path in doc.refs(spec, key, default_kind="API", allowed={"api"}):
                entity.relations.append((type_, target, path))
        if "subcomponentOf" in spec:
            ref = doc.ref(spec["subcomponentOf"], "spec.subcomponentOf", default_kind="Component",
                          allowed={"component"})
            if ref:
                entity.checked_refs.append((ref, "spec.subcomponentOf"))
    if kind == "API":
        definition = spec.get("definition")
        if not isinstance(definition, str) or not definition.strip():
            doc.error("spec.definition", "is required text (the OpenAPI, AsyncAPI, GraphQL or gRPC definition)"
                      + ("; VisionSpace does not resolve $text/$json/$yaml placeholders — inline the definition"
                         if isinstance(definition, dict) else ""))
    for _, target, path in entity.relations:
        if target.name.lower() == entity.name.lower():
            doc.error(path, f"{entity.ref} cannot refer to itself ({target})")
    rest = {k: v for k, v in spec.items() if k not in modelled}
    if rest:
        extras["spec"] = rest


def _system_spec(doc: _Doc, entity: Entity, spec: dict, extras: dict) -> None:
    owner = doc.string(spec, "owner", "spec.owner", required=True, max_length=200)
    if owner:
        doc.ref(owner, "spec.owner", default_kind="Group")
    if "domain" in spec:
        doc.ref(spec["domain"], "spec.domain", default_kind="Domain")
    entity.fields["owner"] = owner
    rest = {k: v for k, v in spec.items() if k != "owner"}
    if rest:
        extras["spec"] = rest


def _stored_annotations(doc: _Doc, annotations: dict, extras: dict) -> tuple[dict, bool]:
    """Annotations kept verbatim, and whether the file marks the entity orphaned (an export of one)."""
    kept = {k: v for k, v in annotations.items() if not is_field_annotation(k) and k != ORPHAN}
    orphan = annotations.get(ORPHAN)
    if orphan not in (None, "true", "false"):
        doc.error(f"metadata.annotations.{ORPHAN}", "must be 'true' or 'false'")
    if extras:
        kept[EXTRAS] = extras
    return kept, orphan == "true"


def _service_fields(doc: _Doc, entity: Entity, common: dict, annotations: dict, extras: dict) -> None:
    parsed = parse_annotations({k: v for k, v in annotations.items() if isinstance(v, str)})
    for key, message in parsed.errors:
        doc.error(f"metadata.annotations.{key}", message)
    for key, message in parsed.warnings:
        doc.problems.warn(message, document=doc.index, entity=doc.entity, field=f"metadata.annotations.{key}")
    description = common["description"] or ""
    purpose = description
    if len(purpose) > PURPOSE_MAX:
        purpose = purpose[:PURPOSE_MAX - 1].rstrip() + "…"
    # A description too long for the one-line purpose is kept whole as the long description.
    parsed.service.setdefault("description", description if purpose != description else "")
    kept, orphaned = _stored_annotations(doc, annotations, extras)
    entity.fields.update(
        slug=entity.name, name=common["title"] or entity.name, purpose=purpose, tags=common["tags"],
        links=common["links"], annotations=kept, orphaned=orphaned, **parsed.service,
    )
    entity.container = parsed.container


def _system_fields(doc: _Doc, entity: Entity, common: dict, annotations: dict, extras: dict) -> None:
    for key in annotations:
        if is_field_annotation(key):
            doc.error(f"metadata.annotations.{key}", "describes a service's container; a System has none — move "
                                                     "it to the service")
    if common["tags"]:
        extras["tags"] = common["tags"]
    if common["links"]:
        extras["links"] = common["links"]
    kept, orphaned = _stored_annotations(doc, annotations, extras)
    entity.fields.update(slug=entity.name, name=common["title"] or entity.name,
                         description=common["description"] or "", annotations=kept, orphaned=orphaned)
