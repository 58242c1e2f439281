"""CS-014: hadolint, with each error and warning as evidence with its line."""

from .conftest import GOOD_NODE, check


def test_a_clean_dockerfile_passes():
    outcome = check("CS-014", GOOD_NODE)
    assert outcome.status == "pass" and outcome.evidence == "hadolint reports nothing."


def test_each_warning_is_listed_with_its_line():
    dockerfile = "FROM alpine:3.22.2\nRUN apk add curl\nRUN cd /tmp && ls\n"
    outcome = check("CS-014", dockerfile)
    assert outcome.status == "fail" and outcome.line == 2
    assert "line 2: DL3018 (warning)" in outcome.evidence and "line 3: DL3003 (warning)" in outcome.evidence


def test_info_notes_do_not_fail_but_are_shown():
    dockerfile = "FROM alpine:3.22.2\nRUN echo a\nRUN echo b\n"
    outcome = check("CS-014", dockerfile)
    assert outcome.status == "pass" and "DL3059" in outcome.evidence


def test_a_dockerfile_hadolint_cannot_parse_fails_with_its_error():
    outcome = check("CS-014", "FROM alpine:3.22.2\nFROMM x\n")
    assert outcome.status == "fail" and "DL1000 (error)" in outcome.evidence
