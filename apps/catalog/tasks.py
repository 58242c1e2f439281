"""Celery entry points of the catalogue. Thin: the work is in services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from apps.catalog.models import Service
from apps.catalog.probes.selectors import health_url_of, probeable_services
from apps.catalog.probes.services import probes_expire, probes_prune, service_probe

# The probe keeps to HEALTH_PROBE_TIMEOUT_SECONDS per socket operation; DNS lookups and a server
# trickling its headers byte by byte are not bounded by it, so the worker kills what overruns this.
PROBE_TASK_TIME_LIMIT = settings.HEALTH_PROBE_TIMEOUT_SECONDS + 30


@shared_task(name="catalog.probe_all")
def probe_all() -> dict:
    """Beat's entry point: one probe task per probe-able service, then expiry and retention."""
    service_ids = list(probeable_services().values_list("pk", flat=True))
    for service_id in service_ids:
        # A probe still queued when its result would already have expired is worth less than the next round's.
        probe_service.apply_async(args=[service_id], expires=settings.HEALTH_PROBE_TTL_SECONDS)
    retention = timedelta(days=settings.HEALTH_PROBE_RETENTION_DAYS)
    return {"queued": len(service_ids), "stale": probes_expire(), "pruned": probes_prune(older_than=retention)}


@shared_task(name="catalog.probe_service", time_limit=PROBE_TASK_TIME_LIMIT)
def probe_service(service_id: int) -> dict | None:
    service = Service.objects.select_related("container").filter(pk=service_id).first()
    if service is None or not health_url_of(service=service):
        return None  # deleted, or its URL removed, since the fan-out
    result = service_probe(service=service)
    return {"service": service.slug, "ok": result.ok, "status_code": result.status_code, "error": result.error}
