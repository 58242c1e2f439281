"""What the scenes carry when the catalogue has probes, scans and scores to show."""

from datetime import UTC, datetime, timedelta

from apps.catalog.models import ProbeResult, Service
from apps.compliance.services import compliance_scan
from apps.studio.planner import storyboard_plan

NOW = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)


def _probe(service: Service, *, hours_ago: float, ok: bool) -> None:
    at = NOW - timedelta(hours=hours_ago)
    ProbeResult.objects.create(service=service, checked_at=at, expires_at=at + timedelta(minutes=5), ok=ok)


def test_it_charts_uptime_over_the_range_asked(fleet):
    hub = fleet["visionspace-automation-hub"]
    for hours_ago, ok in [(0.2, True), (0.4, False), (1.2, True), (30, True), (60, True)]:
        _probe(hub, hours_ago=hours_ago, ok=ok)
    day = storyboard_plan(request="hub health", now=NOW).scenes[1]
    assert (day.data["uptime_percent"], day.data["buckets"][-2:], day.data["buckets"][0]) == (66.67, [1.0, 0.5], None)
    assert day.narration == ("Over the last 24 hours, VisionSpace Automation Hub was up 66.7 percent of the time, "
                             "across three checks.")
    two_days = storyboard_plan(request="hub uptime over the last 2 days", now=NOW).scenes[1]
    assert (two_days.data["hours"], two_days.data["uptime_percent"]) == (48, 75.0)


def test_it_ranks_services_by_uptime_with_the_unprobed_last(fleet):
    _probe(fleet["dr-lucy-flight-memory"], hours_ago=1, ok=True)
    _probe(fleet["dr-burby-s2do-blockchain"], hours_ago=1, ok=False)
    _probe(fleet["dr-burby-s2do-blockchain"], hours_ago=2, ok=True)
    top = storyboard_plan(request="top 3 services by uptime", now=NOW).scenes[1]
    assert top.data["items"] == [{"label": "Dr. Lucy Flight Memory", "value": 100.0},
                                 {"label": "Dr. Burby S2DO Blockchain", "value": 50.0},
                                 {"label": "CIG Framework Compliance", "value": None}]
    assert top.narration == ("Dr. Lucy Flight Memory leads on uptime with 100 percent; "
                             "Dr. Burby S2DO Blockchain has 50 percent.")
    worst = storyboard_plan(request="the 2 services with the lowest uptime", now=NOW).scenes[1]
    assert [i["label"] for i in worst.data["items"]] == ["Dr. Burby S2DO Blockchain", "Dr. Lucy Flight Memory"]


def test_it_ranks_by_compliance_score_with_ties_in_name_order(fleet):
    for slug, score in [("prediction-engine", 90), ("fyeo-ceo-service", 70), ("vision-space-auth", 70)]:
        Service.objects.filter(slug=slug).update(compliance_score=score)
    board = storyboard_plan(request="show the 3 most compliant diamond cli solutions")
    assert board.scenes[1].data == {"metric": "Compliance score", "unit": "%", "items": [
        {"label": "Prediction Engine", "value": 90}, {"label": "FYEO CEO Service", "value": 70},
        {"label": "VisionSpace Auth", "value": 70}]}
    assert board.scenes[0].narration == "The three Diamond CLI solutions with the highest compliance score."
    least = storyboard_plan(request="least compliant diamond cli solution").scenes[1].data["items"]
    assert [i["label"] for i in least] == ["Diamond Solutions Menu", "High-Speed Publishing Pipeline",
                                           "Website Factory Commands", "FYEO CEO Service", "VisionSpace Auth"]


def test_it_shows_the_failing_rules_of_a_scanned_service(fleet):
    hub = fleet["visionspace-automation-hub"]
    compliance_scan(service=hub, trigger="manual")
    hub.refresh_from_db()
    table = storyboard_plan(request="show the hub compliance").scenes[1]
    assert table.data["level"] == hub.compliance_level and table.data["score"] == hub.compliance_score
    assert 1 <= len(table.data["rows"]) <= 5
    first = table.data["rows"][0]
    assert set(first) == {"rule_id", "title", "status", "evidence"} and first["status"] in {"fail", "unknown"}
    assert all(len(row["evidence"]) <= 200 for row in table.data["rows"])
    level = "not yet compliant" if hub.compliance_level == "none" else hub.compliance_level
    assert table.narration.startswith(f"VisionSpace Automation Hub is {level}, passing {hub.compliance_score} percent")
    assert f"The most serious issue: {first['title'].rstrip('.')}." in table.narration


def test_it_says_when_a_service_was_never_scanned(fleet):
    table = storyboard_plan(request="dr lucy compliance").scenes[1]
    assert table.data == {"service": "Dr. Lucy Flight Memory", "slug": "dr-lucy-flight-memory", "level": "none",
                          "score": 0, "rows": []}
    assert table.narration == "Dr. Lucy Flight Memory has not been scanned for compliance yet."


def test_it_names_the_fleets_most_failed_rules(fleet):
    for slug in ["visionspace-automation-hub", "daily-video-automation"]:
        compliance_scan(service=fleet[slug], trigger="manual")
    rules = storyboard_plan(request="fleet compliance").scenes[2]
    assert rules.data["heading"] == "Most failed rules"
    assert rules.data["lines"] and all(line.endswith("of 2 services") for line in rules.data["lines"])
    assert rules.narration.startswith("The rule most often failed: ")
