"""Import Backstage catalog-info YAML into the catalogue: all of a file, or none of it.

Order: parse (limits) → check each document (Backstage's rules) → inside one transaction,
check against the catalogue (references resolve, nothing owned by another source is
overwritten unless adopted) → write → mark what disappeared from this source orphaned.
Any problem anywhere and nothing is written; the report lists every problem found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models.functions import Lower

from apps.catalog.models import ContainerSpec, Relation, Service, System

from .annotations import CONTAINER_CODECS
from .fetch import FetchError, fetch, public_url
from .from_entities import documents_by_key, services_for_export
from .parse import MAX_BYTES, Document, checked_documents, parse_documents
from .problems import Problem, Problems
from .rules import EntityRef
from .to_entities import Entity, to_entities

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
SOURCE_MAX = 500


@dataclass
class ImportReport:
    source: str
    file: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    orphaned: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    changes: list[tuple[str, str]] = field(default_factory=list)  # (entity ref, created|updated|unchanged|orphaned)

    @property
    def ok(self) -> bool:
        return not self.errors


def catalog_import_text(*, text: str | bytes, source: str, filename: str | None = None, adopt: bool = False,
                        dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import the YAML of an upload or request body. ``source`` names where it came from."""
    problems = Problems(file=filename)
    documents = parse_documents(text, problems=problems)
    return _import(documents, problems, source=source, adopt=adopt, dry_run=dry_run, progress=progress)


def catalog_import_documents(*, documents: list[dict], source: str, filename: str | None = None,
                             adopt: bool = False, dry_run: bool = False,
                             progress: Progress | None = None) -> ImportReport:
    """Import entities already parsed (e.g. from JSON). Each must be a mapping, as in a YAML file."""
    problems = Problems(file=filename)
    parsed = checked_documents(documents, problems=problems)
    return _import(parsed, problems, source=source, adopt=adopt, dry_run=dry_run, progress=progress)


def catalog_import_file(*, path: str | Path, source: str | None = None, adopt: bool = False, dry_run: bool = False,
                        progress: Progress | None = None) -> ImportReport:
    """Import a local file. The source defaults to ``file:<absolute path>``."""
    path = Path(path)
    source = source or f"file:{path.resolve()}"
    problems = Problems(file=str(path))
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size > MAX_BYTES:
                problems.add(f"the file is {size / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB. "
                             "Split it into several files and import each.")
                return _failed(problems, source=source, dry_run=dry_run)
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        problems.add(f"cannot read the file ({exc.strerror or exc}); check the path.")
        return _failed(problems, source=source, dry_run=dry_run)
    return catalog_import_text(text=raw, source=source, filename=str(path), adopt=adopt, dry_run=dry_run,
                               progress=progress)


def catalog_import_url(*, url: str, source: str | None = None, adopt: bool = False, dry_run: bool = False,
                       progress: Progress | None = None) -> ImportReport:
    """Import from http(s), through the outbound guard. The source defaults to ``url:<url without query>``."""
    shown = public_url(url)
    source = source or f"url:{shown}"
    try:
        raw = fetch(url)
    except FetchError as exc:
        problems = Problems(file=shown)
        problems.add(str(exc))
        return _failed(problems, source=source, dry_run=dry_run)
    return catalog_import_text(text=raw, source=source, filename=shown, adopt=adopt, dry_run=dry_run,
                               progress=progress)


def _failed(problems: Problems, *, source: str, dry_run: bool) -> ImportReport:
    return ImportReport(source=source, file=problems.file, errors=list(problems.items),
                        warnings=list(problems.warnings), dry_run=dry_run)


def _import(documents: list[Document], problems: Problems, *, source: str, adopt: bool, dry_run: bool,
            progress: Progress | None) -> ImportReport:
    if not isinstance(source, str) or not source.strip() or len(source) > SOURCE_MAX:
        problems.add(f"the source must be a name of 1–{SOURCE_MAX} characters (e.g. the file's URL).")
    entities = to_entities(documents, problems=problems)
    if not entities and not problems:
        problems.add("no Component, System, Resource or API entities found; nothing was imported (an empty file "
                     "would orphan everything imported from this source).")
    report = ImportReport(source=source, file=problems.file, dry_run=dry_run)
    if entities:  # even with problems already found: references and conflicts are reported too
        try:
            _apply(entities, problems, report, adopt=adopt, progress=progress)
        except IntegrityError:
            problems.add("the catalogue changed while this file was imported (another import at the same time?); "
                         "nothing was applied — import it again.")
        except DatabaseError:
            logger.exception("catalog import from %s failed in the database", source)
            problems.add("the database refused the import; nothing was applied. The server log has the details.")
    report.errors, report.warnings = list(problems.items), list(problems.warnings)
    report.applied = not report.errors and not dry_run
    if report.errors:
        report.created = report.updated = report.unchanged = report.orphaned = 0
        report.changes = []
    return report


class _Catalogue:
    """The rows an import touches or points at, found case-insensitively as Backstage compares names."""

    def __init__(self, entities: list[Entity]):
        names: dict[str, set[str]] = {"service": set(), "system": set()}
        for entity in entities:
            names[entity.key[0]].add(entity.key[1])
            for ref, _ in _refs(entity):
                names[_table(ref)].add(ref.name.lower())
        self.rows: dict[tuple[str, str], list] = {}
        for table, model in (("service", Service), ("system", System)):
            rows = model.objects.select_for_update().annotate(lower=Lower("slug")).filter(lower__in=names[table])
            for row in rows:
                self.rows.setdefault((table, row.lower), []).append(row)

    def get(self, key: tuple[str, str]):
        rows = self.rows.get(key)
        return rows[0] if rows else None


def _table(ref: EntityRef) -> str:
    return "system" if ref.kind.lower() == "system" else "service"


def _refs(entity: Entity) -> list[tuple[EntityRef, str]]:
    out = [(target, path) for _, target, path in entity.relations] + list(entity.checked_refs)
    if entity.system:
        out.append((entity.system, "spec.system"))
    return out


def _check(entities: list[Entity], catalogue: _Catalogue, problems: Problems, *, source: str, adopt: bool) -> None:
    in_file = {entity.key: entity for entity in entities}
    for entity in entities:
        rows = catalogue.rows.get(entity.key, [])
        if len(rows) > 1:
            problems.add(f"the catalogue has {' and '.join(r.slug for r in rows)}, which Backstage would treat as one "
                         "name; rename one of them first.", document=entity.document, entity=entity.ref,
                         field="metadata.name")
        elif rows and rows[0].source != source and not adopt:
            owner = rows[0].source or "VisionSpace itself (made in the admin)"
            problems.add(f"{rows[0].slug} already exists, from {owner}. Import with adopt "
                         "(catalog_import --adopt) to take it over, or rename this entity.",
                         document=entity.document, entity=entity.ref, field="metadata.name")
        for ref, path in _refs(entity):
            key = (_table(ref), ref.name.lower())
            twin = in_file.get(key)
            row = catalogue.get(key)
            kind = twin.kind if twin else (row.kind if isinstance(row, Service) else "System") if row else None
            if kind is None:
                problems.add(f"{ref} is neither in this file nor in the catalogue; add it, or fix the reference.",
                             document=entity.document, entity=entity.ref, field=path)
            elif kind.lower() != ref.kind.lower():
                where = f"document {twin.document} of this file" if twin else "the catalogue"
                problems.add(f"{ref} is a {kind} in {where}; refer to it as {kind.lower()}:{ref.name}.",
                             document=entity.document, entity=entity.ref, field=path)


_CONTAINER_DEFAULTS = {c.attr: ContainerSpec._meta.get_field(c.attr).get_default() for c in CONTAINER_CODECS}


def _apply(entities: list[Entity], problems: Problems, report: ImportReport, *, adopt: bool,
           progress: Progress | None) -> None:
    source = report.source
    with transaction.atomic():
        catalogue = _Catalogue(entities)
        _check(entities, catalogue, problems, source=source, adopt=adopt)
        if problems or not all(entity.valid for entity in entities):
            return
        existing = {e.key: catalogue.get(e.key) for e in entities if catalogue.get(e.key) is not None}
        before, loaded = _snapshot(existing)
        before_sources = {key: row.source for key, row in existing.items()}
        rows: dict[tuple[str, str], Service | System] = {}
        ordered = sorted(entities, key=lambda e: (not e.is_system, e.document))
        for done, entity in enumerate(ordered, start=1):
            rows[entity.key] = _save(entity, existing.get(entity.key), rows, catalogue, loaded, source=source)
            if progress:
                progress(done, len(ordered), entity.ref)
        _relate([e for e in entities if not e.is_system], rows, catalogue, loaded)
        orphaned = _orphan(source, rows.values())
        after, _ = _snapshot(rows)
        for entity in sorted(entities, key=lambda e: e.document):
            if entity.key not in existing:
                action = "created"
            elif before.get(entity.key) != after.get(entity.key) or before_sources[entity.key] != source:
                action = "updated"
            else:
                action = "unchanged"
            setattr(report, action, getattr(report, action) + 1)
            report.changes.append((entity.ref, action))
        report.orphaned = len(orphaned)
        report.changes += [(ref, "orphaned") for ref in orphaned]
        if report.dry_run:
            transaction.set_rollback(True)


def _snapshot(rows: dict) -> tuple[dict, dict[int, Service]]:
    """Each row's document, and the services as loaded (with container and relations, for reuse)."""
    services = list(services_for_export(Service.objects.filter(pk__in=[r.pk for r in rows.values()
                                                                       if isinstance(r, Service)])))
    systems = System.objects.filter(pk__in=[r.pk for r in rows.values() if isinstance(r, System)])
    return documents_by_key(services, systems), {s.pk: s for s in services}


def _target(ref: EntityRef, rows: dict, catalogue: _Catalogue):
    key = (_table(ref), ref.name.lower())
    return rows.get(key) or catalogue.get(key)


def _save(entity: Entity, row, rows: dict, catalogue: _Catalogue, loaded: dict[int, Service], *, source: str):
    """Write only what differs, so an unchanged entity keeps its ``updated_at``."""
    wanted = {**entity.fields, "source": source}
    if entity.is_system:
        row = row or System()
    else:
        row = row or Service()
        system = _target(entity.system, rows, catalogue) if entity.system else None
        wanted["system_id"] = system.pk if system else None
    if row.pk is None or any(getattr(row, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(row, name, value)
        row.save()
    if entity.container is not None:
        values = {**_CONTAINER_DEFAULTS, **entity.container}
        container = getattr(loaded.get(row.pk), "container", None)
        if container is None:
            ContainerSpec.objects.create(service=row, **values)
        elif any(getattr(container, name) != value for name, value in values.items()):
            ContainerSpec.objects.filter(pk=container.pk).update(**values)
    return row


def _relate(entities: list[Entity], rows: dict, catalogue: _Catalogue, loaded: dict[int, Service]) -> None:
    """Make each service's outgoing relations exactly those its document lists."""
    stale, new = [], []
    for entity in entities:
        service = rows[entity.key]
        wanted = {(type_, _target(target, rows, catalogue).pk) for type_, target, _ in entity.relations}
        current = loaded[service.pk].relations_out.all() if service.pk in loaded else []
        for relation in current:
            if (relation.type, relation.target_id) in wanted:
                wanted.discard((relation.type, relation.target_id))
            else:
                stale.append(relation.pk)
        new += [Relation(source=service, type=type_, target_id=pk) for type_, pk in sorted(wanted)]
    Relation.objects.filter(pk__in=stale).delete()
    Relation.objects.bulk_create(new)


def _orphan(source: str, kept) -> list[str]:
    """Mark what this source imported before but no longer lists. Never deletes."""
    kept_services = [r.pk for r in kept if isinstance(r, Service)]
    kept_systems = [r.pk for r in kept if isinstance(r, System)]
    refs = []
    gone = Service.objects.filter(source=source, orphaned=False).exclude(pk__in=kept_services)
    refs += [f"{kind.lower()}:default/{slug}" for kind, slug in gone.values_list("kind", "slug")]
    gone.update(orphaned=True)
    gone_systems = System.objects.filter(source=source, orphaned=False).exclude(pk__in=kept_systems)
    refs += [f"system:default/{slug}" for slug in gone_systems.values_list("slug", flat=True)]
    gone_systems.update(orphaned=True)
    return sorted(refs)
