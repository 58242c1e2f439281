"""A result expires: a service whose latest result has expired is shown stale, not up."""

import pytest

from apps.catalog.models import HealthStatus
from apps.catalog.probes.services import probes_expire, service_probe

pytestmark = pytest.mark.django_db


def test_it_marks_a_service_stale_when_its_latest_result_expires(target, make_service, settings):
    settings.HEALTH_PROBE_TTL_SECONDS = 0  # expires the moment it is recorded
    service = make_service(health_url=target.url())
    service_probe(service=service)

    assert probes_expire() == 1

    service.refresh_from_db()
    assert service.health_status == HealthStatus.STALE
    assert probes_expire() == 0  # stale stays stale, once


def test_it_leaves_fresh_results_and_unprobed_services_alone(target, make_service):
    fresh = make_service("fresh", health_url=target.url())
    service_probe(service=fresh)
    never = make_service("never")

    assert probes_expire() == 0

    fresh.refresh_from_db()
    never.refresh_from_db()
    assert (fresh.health_status, never.health_status) == (HealthStatus.UP, HealthStatus.UNKNOWN)


def test_it_brings_a_stale_service_back_with_the_next_probe(target, make_service, settings):
    settings.HEALTH_PROBE_TTL_SECONDS = 0
    service = make_service(health_url=target.url())
    service_probe(service=service)
    probes_expire()

    settings.HEALTH_PROBE_TTL_SECONDS = 180
    service_probe(service=service)

    service.refresh_from_db()
    assert service.health_status == HealthStatus.UP
