"""CS-005: endpoints sit behind OAuth2, as recorded by ``visionspace.io/auth``."""

import pytest

from .conftest import check


@pytest.mark.parametrize("value", ["oauth2", "OIDC", " oauth2 "])
def test_oauth2_or_oidc_passes(value):
    assert check("CS-005", annotations={"visionspace.io/auth": value}).status == "pass"


def test_no_annotation_fails_and_says_which():
    outcome = check("CS-005")
    assert outcome.status == "fail" and "No visionspace.io/auth annotation" in outcome.evidence


def test_another_scheme_fails():
    outcome = check("CS-005", annotations={"visionspace.io/auth": "basic"})
    assert outcome.status == "fail" and "'basic' is not OAuth2" in outcome.evidence


def test_a_service_with_no_endpoints_is_not_applicable():
    assert check("CS-005", ports=[]).status == "not_applicable"


def test_a_service_with_no_spec_is_unknown():
    assert check("CS-005", None).status == "unknown"
