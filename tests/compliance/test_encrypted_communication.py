"""CS-004: nothing leaves the container over an unencrypted scheme."""

import pytest

from .conftest import check


def test_https_and_loopback_pass():
    env = {"API": "https://api.example.com", "LOCAL": "http://127.0.0.1:9000/x", "ME": "http://localhost:3000"}
    assert check("CS-004", env=env).status == "pass"


@pytest.mark.parametrize(("value", "shown"), [
    ("http://api.example.com/v1", "http://api.example.com"),
    ("redis://:hunter2@cache:6379/0", "redis://cache"),
    ("ws://events.internal/socket", "ws://events.internal"),
    ("primary=https://a.example, fallback=http://b.example", "http://b.example"),
])
def test_plaintext_urls_in_the_spec_fail_without_showing_credentials(value, shown):
    outcome = check("CS-004", env={"TARGET": value})
    assert outcome.status == "fail" and f"env TARGET points at {shown}" in outcome.evidence
    assert "hunter2" not in outcome.evidence


def test_plaintext_urls_in_the_dockerfile_fail_at_their_line():
    outcome = check("CS-004", "FROM alpine:3.22.2\nENV UPSTREAM=http://upstream.example\n", env={})
    assert outcome.status == "fail" and outcome.line == 2


def test_a_plain_http_component_url_fails():
    outcome = check("CS-004", component_url="http://vls.example/scene")
    assert outcome.status == "fail" and "component URL" in outcome.evidence
