"""A server that accepts and never answers costs one timeout, not a stuck worker."""

import time
from urllib.parse import quote

import pytest

from apps.catalog.models import HealthStatus
from apps.catalog.probes import http
from apps.catalog.probes.services import service_probe

pytestmark = pytest.mark.django_db


def test_it_gives_up_on_a_silent_server_within_the_timeout(target, make_service, settings):
    settings.HEALTH_PROBE_TIMEOUT_SECONDS = 1
    service = make_service(health_url=target.url("/hang"))

    started = time.monotonic()
    result = service_probe(service=service)
    took = time.monotonic() - started

    assert 0.9 <= took < 1.5
    assert (result.ok, result.status_code, result.error) == (False, None, "no answer within 1 s")
    assert 900 <= result.latency_ms < 1500
    assert target.paths == ["/hang"]
    service.refresh_from_db()
    assert service.health_status == HealthStatus.DOWN


def test_it_spends_one_timeout_on_the_whole_redirect_chain(target):
    started = time.monotonic()
    outcome = http.probe(target.url(f"/to?url={quote(target.url('/hang'))}"), timeout=1)

    assert time.monotonic() - started < 1.5
    assert outcome.error == "no answer within 1 s"
