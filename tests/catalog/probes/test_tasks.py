"""Beat's task catalog.probe_all fans out one catalog.probe_service per service with a URL."""

from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.utils import timezone

from apps.catalog.models import HealthStatus, ProbeResult, Service
from apps.catalog.tasks import probe_all, probe_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    """Runs the tasks probe_all queues in this process, inside the test's transaction."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def test_it_is_the_task_beat_schedules():
    assert django_settings.CELERY_BEAT_SCHEDULE["catalog-probe-all"]["task"] == probe_all.name == "catalog.probe_all"
    assert probe_service.name == "catalog.probe_service"
    assert {"catalog.probe_all", "catalog.probe_service"} <= set(current_app.tasks)


def test_it_probes_every_service_with_a_url(target, other_target, make_service, eager_celery):
    other_target.status = 500
    make_service("up-svc", health_url=target.url())
    make_service("down-svc", health_url=other_target.url())
    make_service("no-url", health_url="")
    make_service("no-container", container=False)

    summary = probe_all.apply().get()

    assert summary == {"queued": 2, "stale": 0, "pruned": 0}
    assert dict(Service.objects.values_list("slug", "health_status")) == {
        "up-svc": "up", "down-svc": "down", "no-url": "unknown", "no-container": "unknown"
    }
    assert set(ProbeResult.objects.values_list("service__slug", flat=True)) == {"up-svc", "down-svc"}
    assert (target.paths, other_target.paths) == (["/health"], ["/health"])


def test_it_expires_and_prunes_in_the_same_round(make_service, eager_celery):
    service = make_service("aged", health_url="")
    long_ago = timezone.now() - timedelta(days=90)
    ProbeResult.objects.create(service=service, checked_at=long_ago, expires_at=long_ago, ok=True)
    Service.objects.filter(pk=service.pk).update(health_status=HealthStatus.UP, health_checked_at=long_ago)

    assert probe_all.apply().get() == {"queued": 0, "stale": 1, "pruned": 1}


def test_the_service_task_skips_a_service_that_lost_its_url(make_service):
    assert probe_service.apply(args=[make_service(health_url="").pk]).get() is None
    assert probe_service.apply(args=[999_999]).get() is None
