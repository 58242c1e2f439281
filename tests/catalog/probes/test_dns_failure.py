"""A host name that does not resolve is down with "DNS lookup failed", guard on or off."""

import pytest

from apps.catalog.probes import http


@pytest.mark.parametrize("allow_private", [True, False])
def test_it_reports_a_name_that_does_not_resolve(settings, allow_private):
    settings.OUTBOUND_ALLOW_PRIVATE = allow_private

    outcome = http.probe("http://no-such-service.invalid/readyz", timeout=5)  # .invalid never resolves (RFC 6761)

    assert (outcome.ok, outcome.status_code) == (False, None)
    assert outcome.error.startswith("DNS lookup failed")
    assert "no-such-service.invalid" in outcome.error
