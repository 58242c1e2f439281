"""Writes to the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import seed
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
