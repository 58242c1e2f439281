"""CS-011: EXPOSE and the container spec declare the same ports."""

from .conftest import check

BASE = "FROM alpine:3.22.2\n"


def test_matching_ports_pass():
    assert check("CS-011", BASE + "EXPOSE 8080/tcp 8081\n", ports=[8080, 8081]).status == "pass"


def test_a_mismatch_fails_and_says_both_sides():
    outcome = check("CS-011", BASE + "EXPOSE 8080\n", ports=[3000])
    assert outcome.status == "fail" and outcome.line == 2
    assert "exposes [8080]; the container spec declares [3000]" in outcome.evidence


def test_no_expose_with_spec_ports_fails():
    assert check("CS-011", BASE, ports=[3000]).status == "fail"


def test_no_ports_anywhere_is_not_applicable():
    assert check("CS-011", BASE, ports=[]).status == "not_applicable"


def test_nonsense_ports_fail_instead_of_crashing():
    outcome = check("CS-011", BASE + "EXPOSE $PORT\n", ports=["http", 3000])
    assert outcome.status == "fail" and "$PORT" in outcome.evidence and "'http'" in outcome.evidence
