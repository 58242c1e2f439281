"""Catalogue rows → Backstage documents (plain dicts), the inverse of ``to_entities``.

Used by the exporter and by the importer to tell an updated entity from an unchanged
one (same document before and after = unchanged). Everything is in a fixed order, so
the same catalogue always gives the same YAML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Prefetch, QuerySet

from apps.catalog.models import Kind, Relation, RelationType, Service, System

from .annotations import is_field_annotation, render_annotations
from .rules import API_VERSIONS
from .to_entities import EXTRAS, ORPHAN

KIND_ORDER = {Kind.COMPONENT: 0, Kind.RESOURCE: 1, Kind.API: 2}
NO_DEFINITION = "# No definition was recorded in VisionSpace; add the API's definition here.\n"
NO_OWNER = "unknown"
_SPEC_RELATIONS = [
    ("dependsOn", RelationType.DEPENDS_ON, None),
    ("providesApis", RelationType.PROVIDES_API, Kind.API),
    ("consumesApis", RelationType.CONSUMES_API, Kind.API),
]


def services_for_export(services: QuerySet[Service] | None = None) -> QuerySet[Service]:
    qs = Service.objects.all() if services is None else services
    return qs.select_related("container", "system").prefetch_related(
        Prefetch("relations_out", queryset=Relation.objects.select_related("target"))
    )


def catalog_documents(
    *,
    services: QuerySet[Service] | None = None,
    systems: QuerySet[System] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[dict]:
    """Systems first, then components, resources and APIs, each by name."""
    system_rows = sorted(System.objects.all() if systems is None else systems, key=lambda s: s.slug)
    service_rows = sorted(services_for_export(services), key=lambda s: (KIND_ORDER.get(s.kind, 9), s.slug))
    total = len(system_rows) + len(service_rows)
    documents = []
    for row in [*system_rows, *service_rows]:
        document = system_document(row) if isinstance(row, System) else service_document(row)
        documents.append(document)
        if progress:
            progress(len(documents), total, f"{document['kind'].lower()}:default/{row.slug}")
    return documents


def _ref(target: Service, default_kind: str | None) -> str:
    return target.slug if target.kind == default_kind else f"{target.kind.lower()}:{target.slug}"


def _metadata(row, *, title: str, description: str, labels: dict, annotations: dict, tags: list, links: list,
              extra: dict) -> dict:
    metadata: dict = {"name": row.slug}
    if title != row.slug:
        metadata["title"] = title
    if description:
        metadata["description"] = description
    if labels:
        metadata["labels"] = dict(sorted(labels.items()))
    if row.orphaned:
        annotations = {**annotations, ORPHAN: "true"}
    if annotations:
        metadata["annotations"] = dict(sorted(annotations.items()))
    if tags:
        metadata["tags"] = list(tags)
    if links:
        metadata["links"] = list(links)
    for key, value in extra.items():
        metadata.setdefault(key, value)
    return metadata


def _split(annotations: dict) -> tuple[dict, dict]:
    extras = annotations.get(EXTRAS) or {}
    return {k: v for k, v in annotations.items() if k != EXTRAS}, extras if isinstance(extras, dict) else {}


def service_document(service: Service) -> dict:
    annotations, extras = _split(service.annotations or {})
    annotations = {k: v for k, v in annotations.items() if not is_field_annotation(k)}  # the columns decide
    container = getattr(service, "container", None)
    annotations.update(render_annotations(service=service, container=container))
    metadata = _metadata(service, title=service.name, description=service.purpose, labels=extras.get("labels", {}),
                         annotations=annotations, tags=service.tags, links=service.links,
                         extra=extras.get("metadata", {}))
    spec: dict = {"type": service.type}
    if service.kind in (Kind.COMPONENT, Kind.API):
        spec["lifecycle"] = service.lifecycle
    spec["owner"] = service.owner or NO_OWNER
    if service.system_id:
        spec["system"] = service.system.slug
    relations = list(service.relations_out.all())
    for key, type_, default_kind in _SPEC_RELATIONS:
        refs = sorted(_ref(r.target, default_kind) for r in relations if r.type == type_)
        if refs:
            spec[key] = refs
    for key, value in (extras.get("spec") or {}).items():
        spec.setdefault(key, value)
    if service.kind == Kind.API and not spec.get("definition"):
        spec["definition"] = NO_DEFINITION
    return _envelope(service.kind, metadata, spec, extras)


def system_document(system: System) -> dict:
    annotations, extras = _split(system.annotations or {})
    metadata = _metadata(system, title=system.name, description=system.description, labels=extras.get("labels", {}),
                         annotations=annotations, tags=extras.get("tags", []), links=extras.get("links", []),
                         extra=extras.get("metadata", {}))
    spec = {"owner": system.owner or NO_OWNER}
    for key, value in (extras.get("spec") or {}).items():
        spec.setdefault(key, value)
    return _envelope("System", metadata, spec, extras)


def _envelope(kind: str, metadata: dict, spec: dict, extras: dict) -> dict:
    return {"apiVersion": extras.get("apiVersion", API_VERSIONS[0]), "kind": kind, "metadata": metadata, "spec": spec}


def documents_by_key(services: Iterable[Service], systems: Iterable[System]) -> dict[tuple[str, str], dict]:
    """The document of each row, keyed like ``Entity.key``; the services must come from services_for_export."""
    out = {("system", s.slug.lower()): system_document(s) for s in systems}
    out.update({("service", s.slug.lower()): service_document(s) for s in services})
    return out
