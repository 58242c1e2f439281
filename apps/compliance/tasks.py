"""Celery wrappers. ``compliance.scan_fleet`` runs nightly (CELERY_BEAT_SCHEDULE);
``compliance.scan_service`` runs after every committed change to a service or its spec."""

from __future__ import annotations

from celery import shared_task

from apps.catalog.models import Service

from .models import Trigger
from .services import compliance_scan, compliance_scan_fleet


@shared_task(name="compliance.scan_service", acks_late=True)
def compliance_scan_service_task(service_id: int, trigger: str = Trigger.CHANGE) -> dict | None:
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        return None  # deleted since the change was saved: nothing to scan
    scan = compliance_scan(service=service, trigger=trigger)
    return {"scan": scan.pk, "service": service.slug, "level": scan.level, "score": scan.score}


@shared_task(name="compliance.scan_fleet", acks_late=True)
def compliance_scan_fleet_task(trigger: str = Trigger.NIGHTLY) -> dict:
    fleet = compliance_scan_fleet(trigger=trigger)
    return {"services": fleet.services_total, "score": fleet.score, "levels": fleet.levels}
