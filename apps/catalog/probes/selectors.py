"""Reads about probes: which services to probe, their history, their uptime."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncHour
from django.utils import timezone

from apps.catalog.models import ContainerSpec, HealthStatus, ProbeResult, Service


@dataclass(frozen=True)
class Uptime:
    percent: float | None  # None: no checks in the window
    checks: int
    ok_checks: int
    buckets: list[float | None]  # ok ratio per clock hour (UTC), oldest first; None: no checks that hour
    since: datetime  # start of the first bucket


def health_url_of(*, service: Service) -> str:
    """The URL to probe, or "" when the service has none (it stays "unknown")."""
    try:
        return service.container.health_url
    except ContainerSpec.DoesNotExist:
        return ""


def probeable_services() -> QuerySet[Service]:
    return (
        Service.objects.filter(orphaned=False, container__isnull=False)
        .exclude(container__health_url="")
        .select_related("container")
        .order_by("slug")
    )


def probe_history(*, service: Service, limit: int = 100) -> list[ProbeResult]:
    return list(ProbeResult.objects.filter(service=service).order_by("-checked_at")[:limit])


def uptime_for(*, service: Service, hours: int = 24, now: datetime | None = None) -> Uptime:
    """One query, at most ``hours`` rows: checks per clock hour over the last ``hours`` hours (this one included)."""
    this_hour = (now or timezone.now()).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    since = this_hour - timedelta(hours=hours - 1)
    rows = (
        ProbeResult.objects.filter(service=service, checked_at__gte=since)
        .annotate(hour=TruncHour("checked_at", tzinfo=UTC))
        .order_by()
        .values("hour")
        .annotate(checks=Count("id"), ok_checks=Count("id", filter=Q(ok=True)))
    )
    per_hour = {row["hour"]: (row["checks"], row["ok_checks"]) for row in rows}
    buckets = []
    for n in range(hours):
        checks, ok = per_hour.get(since + timedelta(hours=n), (0, 0))
        buckets.append(ok / checks if checks else None)
    checks = sum(c for c, _ in per_hour.values())
    ok_checks = sum(o for _, o in per_hour.values())
    return Uptime(
        percent=round(100 * ok_checks / checks, 2) if checks else None,
        checks=checks,
        ok_checks=ok_checks,
        buckets=buckets,
        since=since,
    )


def services_with_expired_health(*, now: datetime) -> QuerySet[Service]:
    """Services shown up or down whose latest probe result has expired (or is gone)."""
    latest_expiry = Subquery(
        ProbeResult.objects.filter(service=OuterRef("pk")).order_by("-checked_at").values("expires_at")[:1]
    )
    return (
        Service.objects.filter(health_status__in=[HealthStatus.UP, HealthStatus.DOWN])
        .annotate(latest_expires_at=latest_expiry)
        .filter(Q(latest_expires_at__lte=now) | Q(latest_expires_at__isnull=True))
    )
