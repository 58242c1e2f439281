"""CS-010: no secrets in ENV or ARG, nor in the container spec's plain env."""

import pytest

from .conftest import GOOD_NODE, check


def test_a_clean_dockerfile_and_spec_pass():
    assert check("CS-010", GOOD_NODE, env={"MODE": "production", "KEY_PREFIX": "vs", "API_KEY_FILE": "/run/k"}).status \
        == "pass"


@pytest.mark.parametrize(("line", "expected"), [
    ("ENV DAILY_API_KEY=${DAILY_API_KEY}", "ENV DAILY_API_KEY=${DAILY_API_KEY} is a build argument baked into"),
    ("ENV DB_PASSWORD=hunter2", "ENV DB_PASSWORD=<7 characters, hidden> is a literal value"),
    ("ENV GITHUB_TOKEN hunter2", "ENV GITHUB_TOKEN=<7 characters, hidden>"),
    ("ARG NPM_TOKEN", "ARG NPM_TOKEN: build arguments stay readable in the image history"),
    ("ENV DATABASE_URL=postgres://app:hunter2@db/app", "ENV DATABASE_URL is a URL with a password in it"),
    ("ENV HELPER=${STRIPE_SECRET}", "ENV HELPER copies $STRIPE_SECRET into the image"),
    ("ENV apiKey=\"quoted value\"", "ENV apiKey=<12 characters, hidden>"),
])
def test_secrets_fail_at_their_line_without_showing_the_value(line, expected):
    outcome = check("CS-010", f"FROM alpine:3.22.2\n\n{line}\n")
    assert outcome.status == "fail" and outcome.line == 3
    assert expected in outcome.evidence
    assert "hunter2" not in outcome.evidence


def test_a_secret_in_the_spec_env_fails_even_without_a_dockerfile():
    outcome = check("CS-010", None, env={"OPENAI_API_KEY": "sk-live-123"})
    assert outcome.status == "fail" and "move it to secret_refs" in outcome.evidence
    assert "sk-live-123" not in outcome.evidence


def test_without_a_dockerfile_a_clean_spec_is_still_unknown():
    outcome = check("CS-010", None, env={"MODE": "x"})
    assert outcome.status == "unknown" and "No Dockerfile on record" in outcome.evidence


def test_an_env_line_that_cannot_be_read_is_not_waved_through():
    outcome = check("CS-010", "FROM alpine:3.22.2\nENV A=1 B\n")
    assert outcome.status == "fail" and outcome.line == 2 and "cannot be read" in outcome.evidence
