"""Writes about probes: probe and record, mark expired results stale, prune history.

A status change (up, down, stale) is published as a ``catalog.health`` event on the
"ops" group once the write has committed; the database stays the truth if Redis is down.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.catalog.event_types import HEALTH_EVENT
from apps.catalog.models import HealthStatus, ProbeResult, Service
from apps.events.services import event_publish

from . import http
from .selectors import health_url_of, probeable_services, services_with_expired_health

EVENT_GROUP = "ops"


class NotProbeable(ValueError):
    pass


@dataclass(frozen=True)
class FleetProbeSummary:
    probed: int
    up: int
    down: int


def service_probe(*, service: Service) -> ProbeResult:
    url = health_url_of(service=service)
    if not url:
        raise NotProbeable(f"{service.slug} has no health URL (set its container's health_url); it stays unknown.")
    checked_at, outcome = _timed_probe(url)
    return probe_record(service=service, outcome=outcome, checked_at=checked_at)


def fleet_probe(*, max_workers: int = 8) -> FleetProbeSummary:
    """Probe every probe-able service now, in parallel (HTTP in threads, database writes here)."""
    targets = [(service, service.container.health_url) for service in probeable_services()]
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="probe") as pool:
        timed = list(pool.map(_timed_probe, [url for _, url in targets]))
    results = [
        probe_record(service=service, outcome=outcome, checked_at=checked_at)
        for (service, _), (checked_at, outcome) in zip(targets, timed, strict=True)
    ]
    up = sum(result.ok for result in results)
    return FleetProbeSummary(probed=len(results), up=up, down=len(results) - up)


def probe_record(*, service: Service, outcome: http.ProbeOutcome, checked_at: datetime) -> ProbeResult:
    status = HealthStatus.UP if outcome.ok else HealthStatus.DOWN
    with transaction.atomic():
        previous = Service.objects.select_for_update().values_list("health_status", flat=True).get(pk=service.pk)
        result = ProbeResult.objects.create(
            service=service,
            checked_at=checked_at,
            expires_at=checked_at + timedelta(seconds=settings.HEALTH_PROBE_TTL_SECONDS),
            ok=outcome.ok,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
        )
        # update(), not save(): touches two columns and sends no post_save to other apps' handlers.
        # A probe that finishes after a newer one has been recorded only adds to the history.
        newest = Service.objects.filter(pk=service.pk).filter(
            Q(health_checked_at__isnull=True) | Q(health_checked_at__lte=checked_at)
        )
        if newest.update(health_status=status, health_checked_at=checked_at) and previous != status:
            _publish_on_commit(
                service=service.slug, status=status, previous=previous, checked_at=checked_at, error=outcome.error
            )
    return result


def probes_expire() -> int:
    """Mark stale every service whose latest result has expired; returns how many changed."""
    now = timezone.now()
    changed = 0
    for pk, slug, previous, checked_at in services_with_expired_health(now=now).values_list(
        "pk", "slug", "health_status", "health_checked_at"
    ):
        with transaction.atomic():
            # Conditional: a probe recorded since the read above wins.
            marked = Service.objects.filter(pk=pk, health_status=previous, health_checked_at=checked_at).update(
                health_status=HealthStatus.STALE
            )
            if marked:
                changed += 1
                _publish_on_commit(service=slug, status=HealthStatus.STALE, previous=previous, checked_at=checked_at)
    return changed


def probes_prune(*, older_than: timedelta) -> int:
    """Delete results checked before ``now - older_than``; returns how many went."""
    deleted, _ = ProbeResult.objects.filter(checked_at__lt=timezone.now() - older_than).delete()
    return deleted


def _timed_probe(url: str) -> tuple[datetime, http.ProbeOutcome]:
    checked_at = timezone.now()
    return checked_at, http.probe(url, timeout=settings.HEALTH_PROBE_TIMEOUT_SECONDS)


def _publish_on_commit(
    *, service: str, status: str, previous: str, checked_at: datetime | None, error: str = ""
) -> None:
    payload = {
        "service": service,
        "status": str(status),
        "previous": str(previous),
        "checked_at": checked_at.isoformat() if checked_at else None,
    }
    if error and status == HealthStatus.DOWN:
        payload["error"] = error
    transaction.on_commit(
        lambda: event_publish(group=EVENT_GROUP, type=HEALTH_EVENT, payload=payload), robust=True
    )
