"""compliance_scan keeps history, marks one latest scan, copies level and score onto the
service, and skips a change scan when nothing the rules read has changed."""

from apps.catalog.models import Service
from apps.compliance.models import ComplianceScan, RuleResult
from apps.compliance.rules import REGISTRY
from apps.compliance.services import compliance_scan


def test_each_scan_is_kept_and_only_the_newest_is_latest(fleet):
    daily = fleet["daily-video-automation"]
    first = compliance_scan(service=daily, trigger="manual")
    second = compliance_scan(service=daily, trigger="nightly")
    first.refresh_from_db()
    assert (first.latest, second.latest) == (False, True)
    assert RuleResult.objects.filter(scan=first).count() == RuleResult.objects.filter(scan=second).count() == len(REGISTRY)


def test_level_and_score_land_on_the_service(fleet):
    daily = fleet["daily-video-automation"]
    scan = compliance_scan(service=daily, trigger="manual")
    stored = Service.objects.get(pk=daily.pk)
    assert (stored.compliance_level, stored.compliance_score) == (scan.level, scan.score)
    assert (daily.compliance_level, daily.compliance_score) == (scan.level, scan.score)
    assert scan.score > 0


def test_a_change_scan_with_the_same_inputs_is_not_repeated(fleet, django_assert_max_num_queries):
    daily = fleet["daily-video-automation"]
    first = compliance_scan(service=daily, trigger="change")
    with django_assert_max_num_queries(2):
        again = compliance_scan(service=daily, trigger="change")
    assert again.pk == first.pk

    daily.container.env = {**daily.container.env, "NEW": "1"}
    daily.container.save()
    changed = compliance_scan(service=daily, trigger="change")
    assert changed.pk != first.pk
    assert ComplianceScan.objects.filter(service=daily).count() == 2


def test_manual_and_nightly_scans_always_run(fleet):
    daily = fleet["daily-video-automation"]
    scans = {compliance_scan(service=daily, trigger=t).pk for t in ("manual", "manual", "nightly")}
    assert len(scans) == 3


def test_a_service_without_a_container_spec_is_scanned_as_unknown(fleet):
    bare = Service.objects.create(slug="bare", name="Bare", purpose="none", category="vls", status="containerised",
                                  owner="group:x")
    scan = compliance_scan(service=bare, trigger="manual")
    statuses = dict(scan.results.values_list("rule_id", "status"))
    assert set(statuses.values()) <= {"unknown", "fail", "pass"}
    assert statuses["CS-012"] == "unknown" and statuses["CS-001"] == "unknown"
    assert "No container spec on record" in scan.results.get(rule_id="CS-001").evidence
    assert scan.level == "none"
