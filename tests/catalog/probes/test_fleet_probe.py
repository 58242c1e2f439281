"""fleet_probe probes every service with a URL at once (without Celery); the rest stay unknown."""

import pytest

from apps.catalog.models import HealthStatus, ProbeResult
from apps.catalog.probes.services import NotProbeable, fleet_probe, service_probe

pytestmark = pytest.mark.django_db


def test_it_probes_the_fleet_in_parallel_and_sums_up(target, other_target, refusing_port, make_service):
    other_target.status = 502
    make_service("a-up", health_url=target.url())
    make_service("b-down", health_url=other_target.url())
    make_service("c-refused", health_url=refusing_port.url())
    make_service("d-no-url")

    summary = fleet_probe()

    assert (summary.probed, summary.up, summary.down) == (3, 1, 2)
    outcomes = dict(ProbeResult.objects.values_list("service__slug", "ok"))
    assert outcomes == {"a-up": True, "b-down": False, "c-refused": False}


def test_it_refuses_to_probe_a_service_without_a_url(make_service):
    service = make_service(health_url="")
    with pytest.raises(NotProbeable, match="no health URL"):
        service_probe(service=service)
    service.refresh_from_db()
    assert service.health_status == HealthStatus.UNKNOWN
