"""CS-009: COPY rather than ADD, except to unpack a local archive."""

from .conftest import check


def test_no_add_passes():
    assert check("CS-009", "FROM alpine:3.22.2\nCOPY a /a\n").status == "pass"


def test_add_of_a_local_archive_passes():
    outcome = check("CS-009", "FROM alpine:3.22.2\nADD rootfs.tar.gz /\n")
    assert outcome.status == "pass" and "rootfs.tar.gz" in outcome.evidence


def test_add_of_a_url_and_of_plain_files_fail_with_lines():
    dockerfile = "FROM alpine:3.22.2\nADD https://example.com/x.sh /x.sh\nADD --chown=1:1 app/ /app/\n"
    outcome = check("CS-009", dockerfile)
    assert outcome.status == "fail" and outcome.line == 2
    assert "line 2: ADD fetches https://" in outcome.evidence and "line 3: ADD app/: use COPY" in outcome.evidence


def test_add_in_json_form_is_read():
    assert check("CS-009", 'FROM alpine:3.22.2\nADD ["src", "/dst"]\n').status == "fail"
