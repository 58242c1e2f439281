"""A 2xx answer means up; anything else means down, with the status and what the service said."""

import pytest

from apps.catalog.models import HealthStatus, ProbeResult
from apps.catalog.probes.services import service_probe

pytestmark = pytest.mark.django_db


def test_it_marks_a_service_up_when_its_health_url_answers_200(target, make_service):
    service = make_service(health_url=target.url())

    result = service_probe(service=service)

    assert (result.ok, result.status_code, result.error) == (True, 200, "")
    assert 0 < result.latency_ms < 1000
    service.refresh_from_db()
    assert service.health_status == HealthStatus.UP
    assert service.health_checked_at == result.checked_at
    assert target.paths == ["/health"]


def test_it_marks_a_service_down_on_a_500_and_keeps_what_the_service_said(target, make_service):
    target.status, target.body = 500, b"database\n  unreachable\x00"
    service = make_service(health_url=target.url())

    result = service_probe(service=service)

    assert (result.ok, result.status_code) == (False, 500)
    assert result.error == "HTTP 500 Internal Server Error: database unreachable"
    service.refresh_from_db()
    assert service.health_status == HealthStatus.DOWN
    assert ProbeResult.objects.filter(service=service).count() == 1


def test_it_records_the_expiry_from_the_ttl_setting(target, make_service, settings):
    settings.HEALTH_PROBE_TTL_SECONDS = 90
    result = service_probe(service=make_service(health_url=target.url()))
    assert (result.expires_at - result.checked_at).total_seconds() == 90
