"""fleet_scorecard: counts per level, the fleet score and per-rule totals, in three queries."""

from apps.catalog.models import ContainerSpec, Service
from apps.compliance.selectors import fleet_scorecard
from apps.compliance.services import compliance_scan
from apps.deployments.manifests.dockerfile import dockerfile_render


def test_before_any_scan_every_service_is_none(fleet, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        card = fleet_scorecard()
    assert card.services_total == 22 and card.services_scanned == 0
    assert card.levels == {"gold": 0, "silver": 0, "bronze": 0, "none": 22}
    assert (card.score, card.rules, card.last_scanned_at) == (0, (), None)


def test_levels_and_score_roll_up(fleet, django_assert_max_num_queries):
    engine = fleet["prediction-engine"]
    ContainerSpec.objects.filter(service=engine).update(dockerfile=dockerfile_render(service=engine), cpu="1",
                                                        memory="1Gi", tag="1.0.0")
    Service.objects.filter(pk=engine.pk).update(annotations={"visionspace.io/auth": "oauth2"})
    gold = compliance_scan(service=engine, trigger="manual")
    other = compliance_scan(service=fleet["daily-video-automation"], trigger="manual")
    Service.objects.filter(slug="dr-lucy-flight-memory").update(orphaned=True)

    with django_assert_max_num_queries(3):
        card = fleet_scorecard()
    assert card.services_total == 21 and card.services_scanned == 2
    assert card.levels == {"gold": 1, "silver": 0, "bronze": 0, "none": 20}
    assert card.score == (gold.score + other.score) // 21
    by_rule = {row.rule_id: row for row in card.rules}
    assert (by_rule["CS-010"].passed, by_rule["CS-010"].failed) == (1, 1)
    assert [row.severity for row in card.rules][:2] == ["critical", "critical"]
