"""HTTPS: the certificate is checked against the URL's host name, even though the probe dials the checked address."""

import pytest

from apps.catalog.probes import http

from .servers import TargetServer
from .tls import make_ca


@pytest.fixture
def tls_target(tmp_path):
    ca = make_ca(tmp_path, server_name="localhost")
    server = TargetServer(tls=ca.server_context)
    server.ca_file = ca.ca_file
    yield server
    server.close()


def test_it_probes_https_with_the_host_name_for_sni_and_the_certificate(tls_target, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_target.ca_file))  # OpenSSL's default trust store, for this test

    outcome = http.probe(tls_target.url(host="localhost"), timeout=5)

    assert (outcome.ok, outcome.status_code, outcome.error) == (True, 200, "")
    assert tls_target.requests == [("/health", f"localhost:{tls_target.port}")]


def test_it_refuses_a_certificate_that_does_not_name_the_host(tls_target, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_target.ca_file))

    outcome = http.probe(tls_target.url(host="127.0.0.1"), timeout=5)

    assert not outcome.ok
    assert outcome.error.startswith("TLS certificate not valid for 127.0.0.1: IP address mismatch")
    assert tls_target.requests == []


def test_it_refuses_a_certificate_from_an_authority_it_does_not_trust(tls_target):
    outcome = http.probe(tls_target.url(host="localhost"), timeout=5)

    assert not outcome.ok
    assert outcome.error.startswith("TLS certificate not valid for localhost: ")
    assert tls_target.requests == []
