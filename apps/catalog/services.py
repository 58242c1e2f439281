"""Writes to the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import seed
from .backstage.importer import (  # noqa: F401  (the catalogue's import services live in backstage/)
    ImportReport,
    catalog_import_documents,
    catalog_import_file,
    catalog_import_text,
    catalog_import_url,
)
from .models import ContainerSpec, Relation, Service, System


@dataclass(frozen=True)
class SeedReport:
    created: int
    updated: int
    relations: int


@transaction.atomic
def catalog_seed() -> SeedReport:
    """Create or refresh the document's 22 services. Safe to run any number of times."""
    systems = {}
    for data in seed.SYSTEMS:
        systems[data["slug"]], _ = System.objects.update_or_create(
            slug=data["slug"], defaults={**{k: v for k, v in data.items() if k != "slug"}, "source": seed.SOURCE}
        )
    created = updated = 0
    for data in seed.SERVICES:
        fields = {k: v for k, v in data.items() if k not in {"slug", "container", "system"}}
        service, was_created = Service.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "system": systems[data["system"]], "source": seed.SOURCE, "orphaned": False}
        )
        ContainerSpec.objects.update_or_create(service=service, defaults=data["container"])
        created += was_created
        updated += not was_created
    by_slug = {s.slug: s for s in Service.objects.filter(slug__in=[d["slug"] for d in seed.SERVICES])}
    relations = 0
    for source, type_, target in dict.fromkeys(seed.RELATIONS):
        _, made = Relation.objects.get_or_create(source=by_slug[source], target=by_slug[target], type=type_)
        relations += made
    return SeedReport(created=created, updated=updated, relations=relations)


def container_dockerfile_generate(*, service: Service) -> str:
    """Write a generated Dockerfile into the service's container spec (and so trigger a rescan).

    For services that need containerisation: the generator's output passes hadolint and
    every Dockerfile rule. Raises DockerfileRenderError with what to fix in the spec.
    """
    from apps.deployments.manifests.dockerfile import dockerfile_render

    text = dockerfile_render(service=service)
    spec = service.container
    spec.dockerfile = text
    spec.save(update_fields=["dockerfile"])
    return text
