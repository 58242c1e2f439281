"""Nobody listening: down at once, saying so."""

import pytest

from apps.catalog.models import HealthStatus
from apps.catalog.probes.services import service_probe

pytestmark = pytest.mark.django_db


def test_it_reports_a_refused_connection_quickly(refusing_port, make_service):
    service = make_service(health_url=refusing_port.url())

    result = service_probe(service=service)

    assert (result.ok, result.status_code) == (False, None)
    assert result.error == f"connection refused by 127.0.0.1:{refusing_port.port}"
    assert result.latency_ms < 500
    service.refresh_from_db()
    assert service.health_status == HealthStatus.DOWN
