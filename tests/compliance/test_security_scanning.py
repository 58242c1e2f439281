"""CS-003: images are scanned in the pipeline — the generated workflow's steps, or the
service's own pipeline as declared by ``visionspace.io/scan``."""

import pytest

from .conftest import check

HERE = "tests.compliance.test_security_scanning"


def workflow_without_scan(*, services):
    return "jobs:\n  build:\n    steps:\n      - name: Build\n        run: docker build .\n# trivy someday\n"


def workflow_with_grype(*, services):
    return "jobs:\n  build:\n    steps:\n      - run: docker build .\n      - name: Scan\n        run: grype img\n"


def broken_workflow(*, services):
    raise RuntimeError("no registry configured")


def test_the_products_own_workflow_scans_with_trivy():
    outcome = check("CS-003")
    assert outcome.status == "pass" and "Scan for HIGH and CRITICAL" in outcome.evidence


def test_a_workflow_step_running_a_scanner_passes(settings):
    settings.COMPLIANCE_WORKFLOW_RENDERER = f"{HERE}.workflow_with_grype"
    outcome = check("CS-003")
    assert outcome.status == "pass" and "build step 2: Scan" in outcome.evidence


def test_a_workflow_that_only_mentions_a_scanner_in_a_comment_fails(settings):
    settings.COMPLIANCE_WORKFLOW_RENDERER = f"{HERE}.workflow_without_scan"
    outcome = check("CS-003")
    assert outcome.status == "fail" and "no image scan step" in outcome.evidence


def test_without_a_renderer_the_annotation_decides(settings):
    settings.COMPLIANCE_WORKFLOW_RENDERER = "apps.compliance.no_such_module.render"
    assert check("CS-003").status == "fail"
    outcome = check("CS-003", annotations={"visionspace.io/scan": "Trivy"})
    assert outcome.status == "pass" and "trivy" in outcome.evidence


def test_an_unknown_scanner_name_fails(settings):
    settings.COMPLIANCE_WORKFLOW_RENDERER = "apps.compliance.no_such_module.render"
    outcome = check("CS-003", annotations={"visionspace.io/scan": "yes please"})
    assert outcome.status == "fail" and "not a scanner this rule knows" in outcome.evidence


def test_a_renderer_that_fails_makes_the_rule_unknown_not_passed(settings):
    settings.COMPLIANCE_WORKFLOW_RENDERER = f"{HERE}.broken_workflow"
    outcome = check("CS-003")
    assert outcome.status == "unknown" and "no registry configured" in outcome.evidence


@pytest.mark.parametrize("value", [["trivy"], {"x": 1}, 7])
def test_a_non_string_annotation_is_ignored_not_a_crash(settings, value):
    settings.COMPLIANCE_WORKFLOW_RENDERER = "apps.compliance.no_such_module.render"
    assert check("CS-003", annotations={"visionspace.io/scan": value}).status == "fail"
