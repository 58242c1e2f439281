"""Reads from the catalogue. Each list costs a fixed number of queries, however long."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .backstage.exporter import catalog_export_yaml  # noqa: F401  (export is a read)
from .models import Service


@dataclass(frozen=True)
class ServiceFilters:
    category: str | None = None
    status: str | None = None
    owner: str | None = None
    level: str | None = None
    q: str | None = None
    include_orphaned: bool = False


def service_list(*, filters: ServiceFilters = ServiceFilters()) -> QuerySet[Service]:
    qs = Service.objects.select_related("container", "system")
    if not filters.include_orphaned:
        qs = qs.filter(orphaned=False)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        qs = qs.filter(owner=filters.owner)
    if filters.level:
        qs = qs.filter(compliance_level=filters.level)
    if filters.q:
        qs = qs.filter(Q(slug__icontains=filters.q) | Q(name__icontains=filters.q) | Q(purpose__icontains=filters.q)
                       | Q(tags__icontains=filters.q))
    return qs.order_by("category", "slug")


def service_get(*, slug: str) -> Service:
    return Service.objects.select_related("container", "system").get(slug=slug)


def catalog_counts() -> dict[str, int]:
    """Services per containerisation status, plus the total (one query)."""
    rows = Service.objects.filter(orphaned=False).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    counts["total"] = sum(counts.values())
    return counts


def owners() -> list[str]:
    return list(Service.objects.filter(orphaned=False).order_by("owner").values_list("owner", flat=True).distinct())
