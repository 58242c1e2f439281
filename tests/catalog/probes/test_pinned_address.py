"""The probe connects to an address that passed the guard itself, and still speaks to the URL's host name."""

from apps.catalog.probes import http
from apps.core.netguard import check_url


def test_it_checks_the_resolved_address_and_sends_the_urls_host_name_to_it(target):
    asked = []

    def recording_guard(url: str) -> None:
        asked.append(url)
        check_url(url)

    outcome = http.probe(target.url(host="localhost"), timeout=5, guard=recording_guard)

    assert outcome.ok
    assert asked == [target.url(host="localhost"), f"http://127.0.0.1:{target.port}/"]
    assert target.requests == [("/health", f"localhost:{target.port}")]
