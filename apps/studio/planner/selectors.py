"""The planner's reads. Each costs a fixed number of queries, however large the fleet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from apps.catalog.models import (
    ComplianceLevel,
    ContainerStatus,
    HealthStatus,
    ProbeResult,
    RelationType,
    Service,
    System,
)
from apps.catalog.selectors import ServiceFilters, service_list

from .intents import Scope


@dataclass(frozen=True)
class ServiceFacts:
    """What the lexicon needs of a service: the words it may be called by."""

    slug: str
    name: str
    purpose: str
    aliases: tuple[str, ...]  # annotation "visionspace.io/aliases": extra spoken names


@dataclass(frozen=True)
class FleetBreakdown:
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    levels: dict[str, int]
    health: dict[str, int]


ALIASES_ANNOTATION = "visionspace.io/aliases"


def catalogue_fingerprint() -> tuple:
    """Changes whenever a name, slug or purpose can have changed (two cheap aggregates)."""
    services = Service.objects.filter(orphaned=False).aggregate(n=Count("id"), top=Max("id"), at=Max("updated_at"))
    systems = System.objects.aggregate(n=Count("id"), top=Max("id"))
    return (services["n"], services["top"], services["at"], systems["n"], systems["top"])


def lexicon_services() -> list[ServiceFacts]:
    """Every live service, in catalogue order (oldest first), as the lexicon reads it."""
    rows = Service.objects.filter(orphaned=False).order_by("id").values_list("slug", "name", "purpose", "annotations")
    return [ServiceFacts(slug=slug, name=name, purpose=purpose, aliases=_aliases(annotations))
            for slug, name, purpose, annotations in rows]


def lexicon_systems() -> list[tuple[str, str]]:
    return list(System.objects.order_by("id").values_list("slug", "name"))


def _aliases(annotations) -> tuple[str, ...]:
    value = (annotations or {}).get(ALIASES_ANNOTATION) if isinstance(annotations, dict) else None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return ()
    return tuple(str(v)[:100] for v in value[:20] if str(v).strip())


def services_by_slug(*, slugs: list[str]) -> dict[str, Service]:
    return {s.slug: s for s in service_list().filter(slug__in=slugs)}


def service_relations(*, service: Service) -> tuple[list[str], list[str]]:
    """(names it depends on, names that depend on it), each sorted by name."""
    depends_on = service.relations_out.filter(type=RelationType.DEPENDS_ON, target__orphaned=False)
    used_by = service.relations_in.filter(type=RelationType.DEPENDS_ON, source__orphaned=False)
    return (sorted(depends_on.values_list("target__name", flat=True)),
            sorted(used_by.values_list("source__name", flat=True)))


def scope_services(*, scope: Scope) -> QuerySet[Service]:
    qs = service_list(filters=ServiceFilters())
    if scope.categories:
        qs = qs.filter(category__in=scope.categories)
    if scope.statuses:
        qs = qs.filter(status__in=scope.statuses)
    if scope.levels:
        qs = qs.filter(compliance_level__in=scope.levels)
    if scope.systems:
        qs = qs.filter(system__slug__in=scope.systems)
    return qs


def fleet_breakdown(*, services: QuerySet[Service]) -> FleetBreakdown:
    """Counts per status, category, compliance level and health, in one query."""
    by_status = {s.value: 0 for s in ContainerStatus}
    levels = {level.value: 0 for level in reversed(ComplianceLevel)}
    health = {h.value: 0 for h in HealthStatus}
    by_category: dict[str, int] = {}
    total = 0
    rows = services.order_by().values("status", "category", "compliance_level", "health_status").annotate(n=Count("id"))
    for row in rows:
        n = row["n"]
        total += n
        by_status[row["status"]] = by_status.get(row["status"], 0) + n
        by_category[row["category"]] = by_category.get(row["category"], 0) + n
        levels[row["compliance_level"]] = levels.get(row["compliance_level"], 0) + n
        health[row["health_status"]] = health.get(row["health_status"], 0) + n
    return FleetBreakdown(total=total, by_status=by_status, by_category=dict(sorted(by_category.items())),
                          levels=levels, health=health)


def uptime_percents(*, services: QuerySet[Service], hours: int, now: datetime | None = None) -> dict[int, float | None]:
    """Per service id: per cent of ok checks over the same window as ``uptime_for`` (None: no checks). One query."""
    this_hour = (now or timezone.now()).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    since = this_hour - timedelta(hours=hours - 1)
    rows = (ProbeResult.objects.filter(service__in=services.order_by().values("id"), checked_at__gte=since)
            .order_by().values("service_id").annotate(checks=Count("id"), ok=Count("id", filter=Q(ok=True))))
    return {row["service_id"]: round(100 * row["ok"] / row["checks"], 2) for row in rows}


METRIC_ROW_FIELDS = ("id", "slug", "name", "compliance_score", "container__replicas", "container__max_instances",
                     "container__min_instances")


def metric_rows(*, services: QuerySet[Service]) -> list[dict]:
    """What a comparison may measure, per service, as plain rows (cheap for a thousand services)."""
    return list(services.order_by().values(*METRIC_ROW_FIELDS))


def system_names(*, slugs: list[str]) -> list[str]:
    return list(System.objects.filter(slug__in=slugs).order_by("slug").values_list("name", flat=True))


def systems_described(*, limit: int) -> list[dict]:
    return list(System.objects.order_by("name").values("name", "description")[:limit])
