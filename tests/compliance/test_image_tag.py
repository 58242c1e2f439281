"""CS-007: the deployed image reference is not latest."""

from .conftest import check


def test_a_version_tag_passes():
    assert check("CS-007", tag="2.4.1").status == "pass"


def test_latest_and_no_tag_fail():
    assert check("CS-007", tag="latest").status == "fail"
    outcome = check("CS-007", tag="")
    assert outcome.status == "fail" and "no tag, which means latest" in outcome.evidence


def test_a_digest_pins_even_latest():
    outcome = check("CS-007", tag="latest", digest="sha256:" + "b" * 64)
    assert outcome.status == "pass" and "digest" in outcome.evidence
