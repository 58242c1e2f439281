"""CS-008: a HEALTHCHECK in the final stage."""

from .conftest import GOOD_NODE, check


def test_a_healthcheck_in_the_final_stage_passes_with_its_line():
    outcome = check("CS-008", GOOD_NODE)
    assert outcome.status == "pass" and outcome.line == 12


def test_a_healthcheck_only_in_a_build_stage_fails():
    dockerfile = 'FROM alpine:3.22.2 AS b\nHEALTHCHECK CMD ["true"]\nFROM alpine:3.22.2\nUSER 1\n'
    outcome = check("CS-008", dockerfile)
    assert outcome.status == "fail" and outcome.line == 3


def test_healthcheck_none_fails():
    outcome = check("CS-008", 'FROM alpine:3.22.2 AS b\nHEALTHCHECK CMD ["true"]\nFROM b\nHEALTHCHECK NONE\n')
    assert outcome.status == "fail" and outcome.line == 4 and "NONE" in outcome.evidence
