"""Rescan on every change: a committed save of a Service or its ContainerSpec enqueues
``compliance.scan_service``. The scan's own write to the service uses update(), which
sends no signal, so a scan never triggers another."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.catalog.models import ContainerSpec, Service

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
BROKER_BACKOFF_SECONDS = 30  # after a failure, skip the broker this long instead of waiting on it per save
_broker_down_until = [0.0]

# Fields that no rule reads: saving only these (e.g. the health prober) is not a change.
IGNORED_SERVICE_FIELDS = frozenset({
    "compliance_level", "compliance_score", "health_status", "health_checked_at", "updated_at",
})


class _EnqueueScan:
    """An on-commit callback that knows its service, so that one transaction saving a
    service many times (the seed, an import) enqueues one scan per service."""

    def __init__(self, service_id: int):
        self.service_id = service_id

    def __call__(self) -> None:
        if time.monotonic() < _broker_down_until[0]:
            logger.warning("broker unreachable: compliance scan of service %s left to the nightly scan", self.service_id)
            return
        from .tasks import compliance_scan_service_task

        try:
            # Short connect timeout, no retries: this runs inside whatever request saved
            # the service, and the change is safe in the database either way.
            with compliance_scan_service_task.app.connection_for_write(
                connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options={"max_retries": 0}
            ) as connection:
                compliance_scan_service_task.apply_async(args=(self.service_id,), connection=connection, retry=False)
        except Exception as exc:
            _broker_down_until[0] = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("could not enqueue a compliance scan of service %s (%s); the nightly scan will catch up",
                           self.service_id, exc)


def scan_enqueue_on_commit(service_id: int) -> None:
    connection = transaction.get_connection()
    # Django keeps pending callbacks here, and drops them on rollback, so a duplicate check
    # against this list cannot outlive its transaction.
    pending = getattr(connection, "run_on_commit", [])
    if any(isinstance(item[1], _EnqueueScan) and item[1].service_id == service_id for item in pending):
        return
    transaction.on_commit(_EnqueueScan(service_id), robust=True)


@receiver(post_save, sender=Service, dispatch_uid="compliance.service_saved")
def service_saved(sender, instance: Service, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and set(update_fields) <= IGNORED_SERVICE_FIELDS):
        return
    scan_enqueue_on_commit(instance.pk)


@receiver(post_save, sender=ContainerSpec, dispatch_uid="compliance.container_spec_saved")
def container_spec_saved(sender, instance: ContainerSpec, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    scan_enqueue_on_commit(instance.service_id)
