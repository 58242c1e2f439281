"""The document's fleet, scanned as seeded: its two Dockerfiles fail where the document's
examples fall short, with the line to look at, and the services without one are unknown."""

from apps.catalog import seed
from apps.catalog.selectors import catalog_counts
from apps.compliance.context import NO_DOCKERFILE
from apps.compliance.models import ComplianceScan
from apps.compliance.selectors import scorecard_for
from apps.compliance.services import compliance_scan, compliance_scan_fleet


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def results(service):
    return {row.rule_id: row for row in scorecard_for(service=service).results}


def test_the_seed_has_22_services_in_the_documents_three_lists(fleet):
    counts = catalog_counts()
    assert counts == {"total": 22, "containerised": 11, "needs_containerisation": 6, "integration_needed": 5}


def test_the_visionspace_dockerfile_fails_user_healthcheck_and_pinning_with_lines(fleet):
    hub = fleet["visionspace-automation-hub"]
    compliance_scan(service=hub, trigger="manual")
    rows = results(hub)
    from_line = line_of(seed.VISIONSPACE_DOCKERFILE, "FROM node:24-alpine")

    assert rows["CS-001"].status == "fail" and rows["CS-001"].line == from_line
    assert "runs as root" in rows["CS-001"].evidence
    assert rows["CS-008"].status == "fail" and rows["CS-008"].line == from_line
    assert "No HEALTHCHECK" in rows["CS-008"].evidence
    assert rows["CS-006"].status == "fail" and rows["CS-006"].line == from_line
    assert "'24-alpine' is a floating tag" in rows["CS-006"].evidence
    # What the document gets right stays right.
    assert rows["CS-002"].status == "pass"  # alpine
    assert rows["CS-009"].status == "pass"  # COPY, no ADD
    assert rows["CS-011"].status == "pass"  # EXPOSE 8080 8081 = spec ports
    assert rows["CS-013"].status == "pass"  # apk add --no-cache
    assert rows["CS-012"].status == "pass"  # cpu 2, memory 4Gi from the Cloud Run annotations
    assert rows["CS-007"].status == "fail"  # :latest
    hub.refresh_from_db()
    assert hub.compliance_level == "none"  # a critical rule fails


def test_the_daily_dockerfile_fails_no_secrets_at_the_env_line(fleet):
    daily = fleet["daily-video-automation"]
    compliance_scan(service=daily, trigger="manual")
    rows = results(daily)
    env_line = line_of(seed.DAILY_PIPECAT_DOCKERFILE, "ENV DAILY_API_KEY=${DAILY_API_KEY}")

    assert rows["CS-010"].status == "fail"
    assert rows["CS-010"].line == env_line
    assert f"line {env_line}: ENV DAILY_API_KEY=${{DAILY_API_KEY}} is a build argument baked into the image" \
        in rows["CS-010"].evidence
    apt_line = line_of(seed.DAILY_PIPECAT_DOCKERFILE, "apt-get install")
    assert rows["CS-013"].status == "fail" and rows["CS-013"].line == apt_line
    assert rows["CS-014"].status == "fail"
    assert "DL3008" in rows["CS-014"].evidence and "DL3064" in rows["CS-014"].evidence
    assert rows["CS-006"].status == "fail" and "'3.11-slim' is a floating tag" in rows["CS-006"].evidence


def test_services_without_a_dockerfile_are_unknown_not_passed(fleet):
    lucy = fleet["dr-lucy-flight-memory"]
    scan = compliance_scan(service=lucy, trigger="manual")
    rows = results(lucy)
    for rule_id in ("CS-001", "CS-002", "CS-006", "CS-008", "CS-009", "CS-011", "CS-013", "CS-014"):
        assert rows[rule_id].status == "unknown", rule_id
        assert rows[rule_id].evidence == NO_DOCKERFILE
    assert rows["CS-010"].status == "unknown"  # its spec env is clean, but there is no Dockerfile to read
    assert scan.level == "none"
    assert scan.score < 50


def test_a_fleet_scan_scans_every_service_once_and_rolls_up(fleet):
    card = compliance_scan_fleet(trigger="nightly")
    assert ComplianceScan.objects.filter(latest=True).count() == 22
    assert ComplianceScan.objects.filter(trigger="nightly").count() == 22
    assert card.services_total == card.services_scanned == 22
    assert sum(card.levels.values()) == 22
    assert card.levels["none"] == 22  # as the document stands, nothing is even bronze
    assert 0 < card.score < 50
    assert len(card.rules) == 14
    non_root = next(r for r in card.rules if r.rule_id == "CS-001")
    assert (non_root.failed, non_root.unknown) == (2, 20)
