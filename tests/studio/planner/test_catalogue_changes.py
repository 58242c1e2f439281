"""The lexicon follows the catalogue: new, renamed and removed services, aliases, clashes."""

import pytest

from apps.catalog.models import Service
from apps.studio.planner import intent_plan, storyboard_plan
from apps.studio.storyboard import PlanRefused


def _service(**fields) -> Service:
    defaults = {"category": "vls", "status": "containerised", "owner": "group:vls", "purpose": "Testing"}
    return Service.objects.create(**{**defaults, **fields})


def test_it_knows_a_service_added_after_its_first_plan(fleet):
    with pytest.raises(PlanRefused):
        storyboard_plan(request="show me nova telemetry")
    _service(slug="dr-nova-telemetry", name="Dr. Nova Telemetry", purpose="Telemetry Insights")
    for request_text in ["show me nova telemetry", "dr nova", "telemetry insights status", "dr-nova-telemetry"]:
        assert intent_plan(request=request_text).slugs == ("dr-nova-telemetry",), request_text


def test_it_forgets_a_renamed_name_and_learns_the_new_one(fleet):
    service = fleet["prediction-engine"]
    service.name, service.purpose = "Forecast Oracle", "Forecasting"
    service.save()
    assert intent_plan(request="forecast oracle").slugs == ("prediction-engine",)
    assert intent_plan(request="prediction engine").slugs == ("prediction-engine",)  # the slug still names it
    with pytest.raises(PlanRefused, match='I don\'t know "ai"\\. Try "show me the forecast oracle status"'):
        storyboard_plan(request="ai forecasting")  # the old purpose


def test_it_forgets_a_removed_service(fleet):
    fleet["dr-cypriot-rewards"].delete()
    with pytest.raises(PlanRefused, match="I don't know"):
        storyboard_plan(request="dr cypriot rewards")


def test_it_ignores_orphaned_services(fleet):
    Service.objects.filter(slug="dr-cypriot-rewards").update(orphaned=True)
    with pytest.raises(PlanRefused):
        storyboard_plan(request="dr cypriot rewards")
    assert storyboard_plan(request="show the fleet overview").scenes[1].data["total"] == 21


def test_it_hears_the_spoken_aliases_a_service_declares(fleet):
    _service(slug="ledger", name="Ledger", purpose="Bookkeeping",
             annotations={"visionspace.io/aliases": ["the books", "money tracker"]})
    assert intent_plan(request="show me the money tracker").slugs == ("ledger",)
    assert intent_plan(request="the books compliance").topics == ("compliance",)


def test_it_asks_which_service_when_a_name_fits_two(fleet):
    _service(slug="flight-recorder", name="Flight Recorder", purpose="Flight Memory System")
    with pytest.raises(PlanRefused) as refused:
        storyboard_plan(request="show me the flight memory system status")
    assert '"flight memory system" could mean more than one service' in refused.value.message
    assert refused.value.suggestions == ["show me the dr lucy status", "show me the flight recorder status",
                                         "compare dr lucy and flight recorder"]
    # Names stay unambiguous: a name is a stronger claim than someone else's purpose.
    assert intent_plan(request="flight recorder").slugs == ("flight-recorder",)


def test_its_own_words_beat_a_service_named_like_one(fleet):
    _service(slug="status", name="Status", purpose="Status page")
    with pytest.raises(PlanRefused, match="tell me what to show|which service"):
        storyboard_plan(request="status")
    assert intent_plan(request="the status service").slugs == ("status",)


def test_it_adds_the_component_scene_of_a_service_that_has_one(fleet):
    Service.objects.filter(slug="dr-lucy-flight-memory").update(component_url="https://lucy.example/scene")
    board = storyboard_plan(request="show me the flight memory system status")
    assert [s.kind for s in board.scenes] == ["title", "service_card", "health_chart", "component"]
    assert board.scenes[-1].data == {"component_url": "https://lucy.example/scene", "slug": "dr-lucy-flight-memory"}
    explained = storyboard_plan(request="explain dr lucy")
    assert [s.kind for s in explained.scenes] == ["title", "text", "service_card", "component"]
    # Only a look at the service itself asks for its own view.
    assert "component" not in [s.kind for s in storyboard_plan(request="dr lucy compliance").scenes]


def test_it_keeps_hostile_catalogue_text_plain_and_short(fleet):
    # As long as the columns allow (name and purpose are 200 characters; PostgreSQL enforces it).
    _service(slug="evil", name=("<script>alert(1)</script> " + "Evil " * 40)[:200], purpose=("'; DROP TABLE x; -- " * 9)[:200],
             description="<img src=x onerror=alert(1)>" * 20)
    board = storyboard_plan(request="explain evil")
    for scene in board.scenes:
        assert len(scene.narration) <= 220 and len(scene.title) <= 80
        assert all(len(line) <= 120 for line in scene.data.get("lines", []))
    assert board.scenes[1].narration.startswith("<script>alert(1)</script> Evil")  # plain text, drawn as text
