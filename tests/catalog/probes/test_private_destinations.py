"""The outbound guard (apps.core.netguard) is on by default and checks every hop, redirects included."""

from urllib.parse import quote, urlsplit

import pytest

from apps.catalog.models import HealthStatus
from apps.catalog.probes import http
from apps.catalog.probes.services import service_probe
from apps.core.netguard import check_url


def only_this_server_or_the_real_guard(server):
    """Lets the first hop through (a stand-in for a public service); every other URL meets check_url."""

    def guard(url: str) -> None:
        parts = urlsplit(url)
        if (parts.hostname, parts.port) != ("127.0.0.1", server.port):
            check_url(url)

    return guard


@pytest.mark.django_db
def test_it_refuses_127_0_0_1_by_default_with_a_clear_error(target, make_service, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    service = make_service(health_url=target.url())

    result = service_probe(service=service)

    assert (result.ok, result.status_code) == (False, None)
    assert result.error == (
        "forbidden destination: 127.0.0.1 resolves to 127.0.0.1, a private or reserved address; "
        "set OUTBOUND_ALLOW_PRIVATE=true to allow it."
    )
    assert target.requests == []
    service.refresh_from_db()
    assert service.health_status == HealthStatus.DOWN


def test_it_refuses_a_redirect_to_a_private_address_after_an_allowed_first_hop(target, other_target, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    url = target.url(f"/to?url={quote(other_target.url())}")

    outcome = http.probe(url, timeout=5, guard=only_this_server_or_the_real_guard(target))

    assert (outcome.ok, outcome.status_code) == (False, None)
    assert outcome.error.startswith("forbidden destination: 127.0.0.1 resolves to 127.0.0.1, a private")
    assert len(target.requests) == 1
    assert other_target.requests == []


@pytest.mark.parametrize(
    "location, reason",
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 resolves to 169.254.169.254, a private"),
        ("http://[::1]:9/", "::1 resolves to ::1, a private"),
        ("file:///etc/passwd", "Only http:// and https:// URLs"),
    ],
)
def test_it_refuses_redirects_to_metadata_loopback_and_other_schemes(target, settings, location, reason):
    settings.OUTBOUND_ALLOW_PRIVATE = False

    guard = only_this_server_or_the_real_guard(target)

    outcome = http.probe(target.url(f"/to?url={quote(location)}"), timeout=5, guard=guard)

    assert not outcome.ok
    assert outcome.error.startswith("forbidden destination: ")
    assert reason in outcome.error
