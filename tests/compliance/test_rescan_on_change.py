"""Rescans on every change: a committed save of a Service or ContainerSpec enqueues one
compliance.scan_service per service; the scan's own write never triggers another."""

from __future__ import annotations

import base64
import json
import time

import pytest
from django.conf import settings
from django.db import transaction

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.services import catalog_seed
from apps.compliance import signals
from apps.compliance.models import ComplianceScan
from apps.compliance.services import compliance_scan
from apps.compliance.tasks import compliance_scan_service_task
from tests.support import processes


def enqueued(callbacks) -> list[int]:
    return [cb.service_id for cb in callbacks if isinstance(cb, signals._EnqueueScan)]


@pytest.fixture
def fleet(fleet):
    # The seed ran inside this test's transaction, which never commits, so its 22 enqueue
    # callbacks are still pending and would cover every later save; each test starts clean.
    transaction.get_connection().run_on_commit.clear()
    return fleet


@pytest.fixture
def broker_state():
    signals._broker_down_until[0] = 0.0
    yield
    signals._broker_down_until[0] = 0.0


def test_many_saves_in_one_transaction_enqueue_one_scan_per_service(fleet, django_capture_on_commit_callbacks):
    hub, daily = fleet["visionspace-automation-hub"], fleet["daily-video-automation"]
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            for _ in range(3):
                hub.save()
                hub.container.save()
            daily.container.save()
    assert sorted(enqueued(callbacks)) == sorted([hub.pk, daily.pk])


def test_a_scan_does_not_trigger_a_scan(fleet, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        compliance_scan(service=fleet["visionspace-automation-hub"], trigger="manual")
    assert enqueued(callbacks) == []


def test_saving_only_fields_no_rule_reads_is_not_a_change(fleet, django_capture_on_commit_callbacks):
    hub = fleet["visionspace-automation-hub"]
    with django_capture_on_commit_callbacks() as callbacks:
        hub.health_status = "up"
        hub.save(update_fields=["health_status", "health_checked_at"])
    assert enqueued(callbacks) == []
    with django_capture_on_commit_callbacks() as callbacks:
        hub.save(update_fields=["annotations"])
    assert enqueued(callbacks) == [hub.pk]


def test_a_rolled_back_change_enqueues_nothing_and_does_not_block_later_ones(fleet, django_capture_on_commit_callbacks):
    hub = fleet["visionspace-automation-hub"]
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                hub.container.save()
                raise RuntimeError("rolled back")
        hub.container.save()
    assert enqueued(callbacks) == [hub.pk]


def test_the_callback_puts_the_task_on_the_broker(fleet, redis_client, broker_state):
    hub = fleet["visionspace-automation-hub"]
    queue = f"{settings.KEY_PREFIX}:celery:{settings.CELERY_TASK_DEFAULT_QUEUE}"
    redis_client.delete(queue)
    signals._EnqueueScan(hub.pk)()
    [raw] = redis_client.lrange(queue, 0, -1)
    redis_client.delete(queue)
    message = json.loads(raw)
    assert message["headers"]["task"] == "compliance.scan_service"
    assert json.loads(base64.b64decode(message["body"]))[0] == [hub.pk]


def test_an_unreachable_broker_costs_one_quick_failure_then_nothing(fleet, broker_state, caplog):
    app = compliance_scan_service_task.app
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        started = time.monotonic()
        for service in list(fleet.values())[:5]:
            signals._EnqueueScan(service.pk)()
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url = original
    assert elapsed < signals.BROKER_TIMEOUT_SECONDS + 2
    assert "could not enqueue a compliance scan" in caplog.text
    assert caplog.text.count("left to the nightly scan") >= 4


@pytest.mark.slow
def test_a_real_worker_rescans_after_the_seed_and_after_an_edit(transactional_db):
    with processes.celery_worker(processes.subprocess_env()):
        catalog_seed()
        wait_until(lambda: ComplianceScan.objects.filter(trigger="change").count() == 22, timeout=120)
        hub = Service.objects.get(slug="visionspace-automation-hub")
        before = ComplianceScan.objects.get(service=hub, latest=True)
        assert before.level == "none"

        spec = ContainerSpec.objects.get(service=hub)
        spec.dockerfile = spec.dockerfile.replace("EXPOSE 8080 8081", "USER 10001\nEXPOSE 8080 8081")
        spec.save()
        wait_until(lambda: ComplianceScan.objects.filter(service=hub).count() == 2, timeout=60)
        after = ComplianceScan.objects.get(service=hub, latest=True)
        assert after.trigger == "change"
        assert after.results.get(rule_id="CS-001").status == "pass"
        assert after.score > before.score
        hub.refresh_from_db()
        assert (hub.compliance_level, hub.compliance_score) == (after.level, after.score)


def wait_until(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {timeout} s")
        time.sleep(0.1)  # polling a condition with a deadline, not a sleep to synchronise
