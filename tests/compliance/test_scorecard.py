"""scorecard_for: the latest scan, most severe rules first, in at most three queries."""

from apps.compliance.models import ComplianceScan
from apps.compliance.rules import REGISTRY
from apps.compliance.selectors import scorecard_for
from apps.compliance.services import compliance_scan


def test_a_never_scanned_service_has_an_empty_scorecard(fleet, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        card = scorecard_for(service=fleet["prediction-engine"])
    assert (card.scanned, card.level, card.score, card.results) == (False, "none", 0, ())


def test_the_scorecard_is_cheap_complete_and_ordered_by_severity(fleet, django_assert_max_num_queries):
    hub = fleet["visionspace-automation-hub"]
    compliance_scan(service=hub, trigger="manual")
    with django_assert_max_num_queries(3):
        card = scorecard_for(service=hub)
    assert card.scanned and card.trigger == "manual" and card.scanned_at is not None
    assert len(card.results) == len(REGISTRY)
    severities = [row.severity for row in card.results]
    assert severities == sorted(severities, key=["critical", "high", "medium"].index)
    row = next(r for r in card.results if r.rule_id == "CS-001")
    assert (row.title, row.source.startswith("seed: Container Security"), row.status) == (
        "Runs as a non-root user", True, "fail")
    assert row.fix.startswith("Create an unprivileged user")
    assert {r.rule_id for r in card.failing} >= {"CS-001", "CS-006", "CS-008"}
    assert card.score == card.passed * 100 // card.applicable
    assert len(card.dockerfile_sha256) == 64


def test_the_scorecard_shows_the_latest_of_several_scans(fleet):
    hub = fleet["visionspace-automation-hub"]
    compliance_scan(service=hub, trigger="manual")
    hub.container.cpu = ""
    hub.container.save()
    latest = compliance_scan(service=hub, trigger="manual")
    assert ComplianceScan.objects.filter(service=hub).count() == 2
    card = scorecard_for(service=hub)
    assert card.scanned_at == latest.created_at
    assert next(r for r in card.results if r.rule_id == "CS-012").status == "fail"
