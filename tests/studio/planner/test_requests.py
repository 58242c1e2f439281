"""The planner's table: requests people make → the scenes they get and the services in them."""

import re

import pytest

from apps.studio.planner import intent_plan, storyboard_plan
from apps.studio.planner.phrasing import MAX_NARRATION_CHARS
from apps.studio.storyboard import Storyboard

STATUS = ("title", "service_card", "health_chart")
COMPLIANCE = ("title", "compliance_table", "service_card")
HEALTH = ("title", "health_chart")
EXPLAIN = ("title", "text", "service_card")
FLEET = ("title", "fleet_overview", "comparison")
GROUP = ("title", "text", "comparison")
RANKING = ("title", "comparison")

LUCY, BURBY, LEE = "dr-lucy-flight-memory", "dr-burby-s2do-blockchain", "professor-lee-q4d-lenz"
HUB, DAILY, PIPECAT, KEYS = ("visionspace-automation-hub", "daily-video-automation", "pipecat-voice-processing",
                             "universal-ai-key-manager")

REQUESTS = [
    # one service, named by purpose, persona, name, slug, synonym or spelled out
    ("show me the flight memory system status", STATUS, (LUCY,)),
    ("VisionSpace, show me the S2DO governance system compliance", COMPLIANCE, (BURBY,)),
    ("procurement intelligence", STATUS, ("dr-match-bid-suite",)),
    ("What's Dr. Lucy's status?", STATUS, (LUCY,)),
    ("professor lee", STATUS, (LEE,)),
    ("Hey VisionSpace, how is burby doing?", STATUS, (BURBY,)),
    ("visionspace status", STATUS, (HUB,)),
    ("DIAMONDSOLUTIONSMENU", STATUS, ("diamondSolutionsMenu",)),
    ("s two d o governance system", STATUS, (BURBY,)),
    ("I want to see the automated publishing, please", STATUS, ("dr-memoria-anthology",)),
    ("can you show me dr maria support", STATUS, ("dr-maria-support",)),
    ("how many replicas does the hub run", STATUS, (HUB,)),
    ("Please can you show me the CIG compliance", COMPLIANCE, ("cig-framework-compliance",)),
    # one service, other topics and time ranges
    ("the hub health over the last 48 hours", HEALTH, (HUB,)),
    ("show uptime of daily for the past week", HEALTH, (DAILY,)),
    ("q four d lenz health today", HEALTH, (LEE,)),
    ("grant health over the last twelve hours", HEALTH, ("dr-grant-cybersecurity",)),
    ("daily deployments", ("title", "deployments"), (DAILY,)),
    ("when was pipecat last deployed", ("title", "deployments"), (PIPECAT,)),
    ("explain pipecat", EXPLAIN, (PIPECAT,)),
    ("what does the key manager do", EXPLAIN, (KEYS,)),
    ("tell me about the diamond menu", EXPLAIN, ("diamondSolutionsMenu",)),
    ("dr cypriot rewards compliance and health", ("title", "compliance_table", "service_card", "health_chart"),
     ("dr-cypriot-rewards",)),
    # several services
    ("compare dr lucy and dr burby", ("title", "comparison", "service_card", "service_card"), (LUCY, BURBY)),
    ("compare lucy, burby and professor lee by replicas",
     ("title", "comparison", "service_card", "service_card", "service_card"), (LUCY, BURBY, LEE)),
    ("compare the hub, daily, pipecat and the key manager by max instances", RANKING, (HUB, DAILY, PIPECAT, KEYS)),
    ("dr sabina versus dr memoria uptime", ("title", "comparison", "service_card", "service_card"),
     ("dr-sabina-dream-commander", "dr-memoria-anthology")),
    ("deployments of fyeo and the publishing pipeline", ("title", "deployments", "deployments"),
     ("fyeo-ceo-service", "high-speed-publishing-pipeline")),
    # the fleet
    ("show the fleet overview", FLEET, ()),
    ("everything", FLEET, ()),
    ("all services", FLEET, ()),
    ("fleet compliance", ("title", "comparison", "text"), ()),
    ("how healthy is the fleet", ("title", "comparison", "comparison"), ()),
    ("explain the fleet", ("title", "text", "fleet_overview"), ()),
    ("show the fleet deployments", ("title", "deployments"), ()),
    # groups, numbers and rankings
    ("which diamond cli services need containerisation", GROUP, ()),
    ("show the VLS solutions", GROUP, ()),
    ("integration containers compliance", GROUP, ()),
    ("the visionspace integration platform", GROUP, ()),
    ("gold services", ("title", "text"), ()),
    ("top 5 services by uptime", RANKING, ()),
    ("show 3 services that need containerization", RANKING, ()),
    ("the three least compliant vls solutions", RANKING, ()),
    ("which services have the most replicas", RANKING, ()),
    ("compare the vls solutions by compliance", RANKING, ()),
]


def _check_shape(board: Storyboard) -> None:
    assert board.scenes[0].kind == "title"
    assert 2 <= len(board.scenes) <= 6
    assert all(2.0 <= s.duration_s <= 6.0 for s in board.scenes)
    assert board.duration_s <= 30
    for scene in board.scenes:
        assert scene.narration and len(scene.narration) <= MAX_NARRATION_CHARS
        sentences = re.split(r"(?<=[.!?]) ", re.sub(r"\b(Dr|Prof)\. ", "", scene.narration))
        assert len(sentences) <= 2, scene.narration
    assert Storyboard.from_dict(board.to_dict()) == board


@pytest.mark.parametrize(("request_text", "kinds", "slugs"), REQUESTS, ids=[r[0][:50] for r in REQUESTS])
def test_it_plans_the_request_into_the_expected_scenes(fleet, request_text, kinds, slugs):
    board = storyboard_plan(request=request_text)
    assert tuple(s.kind for s in board.scenes) == kinds
    assert intent_plan(request=request_text).slugs == slugs
    shown = [s.data["slug"] for s in board.scenes if s.kind == "service_card"]
    assert shown == list(slugs)[: len(shown)]
    _check_shape(board)


def test_it_has_at_least_thirty_supported_requests_in_its_table():
    assert len(REQUESTS) >= 30


def test_it_gives_the_same_storyboard_for_the_same_request_and_catalogue(fleet):
    first = [storyboard_plan(request=r).to_dict() for r, _, _ in REQUESTS]
    from apps.studio.planner import lexicon

    lexicon._current.clear()
    lexicon._aliases_seen.clear()
    assert [storyboard_plan(request=r).to_dict() for r, _, _ in REQUESTS] == first


def test_it_narrates_a_service_status_in_plain_english(fleet):
    board = storyboard_plan(request="show me the flight memory system status")
    assert board.summary == "Status of Dr. Lucy Flight Memory"
    card = board.scenes[1]
    assert card.narration == "Dr. Lucy Flight Memory is containerised and running one replica in us-west1."
    assert card.data == {
        "slug": LUCY, "name": "Dr. Lucy Flight Memory", "purpose": "Flight Memory System", "status": "containerised",
        "image": "gcr.io/api-for-warp-drive/dr-lucy-flight-memory:latest", "replicas": 1, "region": "us-west1",
        "compliance_level": "none", "health": "unknown",
    }
    hub = storyboard_plan(request="the hub").scenes[1]
    assert hub.narration == ("VisionSpace Automation Hub still needs integration and is planned for three replicas "
                             "in us-west1.")


def test_it_says_that_no_deployments_are_recorded_yet(fleet):
    scene = storyboard_plan(request="daily deployments").scenes[1]
    assert scene.data == {"service": "Daily.co Video Automation", "slug": DAILY, "events": []}
    assert scene.narration == "No deployments of Daily.co Video Automation have been recorded yet."


def test_it_explains_a_service_with_its_relations(fleet):
    text = storyboard_plan(request="explain pipecat").scenes[1]
    assert text.data["heading"] == "PipeCat Voice Processing"
    assert "Depends on: Universal AI Key Manager" in text.data["lines"]
    assert "Used by: Daily.co Video Automation and VisionSpace Automation Hub" in text.data["lines"]
    assert text.narration == ("PipeCat Voice Processing: Vendor-neutral voice AI pipelines. "
                              "It depends on Universal AI Key Manager.")


def test_it_lists_a_category_filtered_by_status(fleet):
    board = storyboard_plan(request="which diamond cli services need containerisation")
    listing = board.scenes[1]
    assert listing.data["heading"] == "Diamond CLI solutions that need containerisation"
    assert listing.data["lines"] == ["Diamond Solutions Menu", "FYEO CEO Service", "High-Speed Publishing Pipeline",
                                     "Prediction Engine", "VisionSpace Auth", "Website Factory Commands"]
    assert len(board.scenes[2].data["items"]) == 6
    assert storyboard_plan(request="which vls solutions need containerisation").scenes[1].data["lines"] == [
        "None right now."]


def test_it_compares_named_services_in_the_order_asked(fleet):
    board = storyboard_plan(request="compare the hub and daily by max instances")
    comparison = board.scenes[1]
    assert comparison.data == {"metric": "Maximum instances", "items": [
        {"label": "VisionSpace Automation Hub", "value": 100}, {"label": "Daily.co Video Automation", "value": 20}]}
    assert comparison.narration == ("VisionSpace Automation Hub leads on maximum instances with 100 instances; "
                                    "Daily.co Video Automation has 20 instances.")


def test_it_reads_the_time_range_of_a_health_request(fleet):
    for request_text, hours in [("the hub health over the last 48 hours", 48), ("hub uptime over 2 days", 48),
                                ("hub health for the past week", 168), ("hub uptime in the last hour", 1),
                                ("hub health today", 24), ("hub health over the last 36h", 36), ("hub health", 24)]:
        chart = storyboard_plan(request=request_text).scenes[1]
        assert (chart.data["hours"], len(chart.data["buckets"])) == (hours, hours), request_text


def test_it_shows_the_fleet_in_numbers(fleet):
    overview = storyboard_plan(request="show the fleet overview").scenes[1]
    assert overview.data == {
        "total": 22, "by_status": {"containerised": 11, "needs_containerisation": 6, "integration_needed": 5},
        "by_category": {"diamond_cli": 6, "integration": 5, "vls": 11},
        "levels": {"gold": 0, "silver": 0, "bronze": 0, "none": 22},
    }
    assert overview.narration == ("The fleet has 22 services: eleven containerised, six needing containerisation "
                                  "and five needing integration.")


def test_it_fits_a_long_storyboard_into_thirty_seconds(fleet):
    from apps.studio.planner.phrasing import fitted

    assert fitted([2.0, 6.0, 6.0, 6.0, 6.0, 6.0]) == [2.0, 5.6, 5.6, 5.6, 5.6, 5.6]
    assert sum(fitted([6.0] * 6)) <= 30 and fitted([3.0, 4.0]) == [3.0, 4.0]
    board = storyboard_plan(request="dr cypriot rewards status compliance health deployments and explain")
    assert len(board.scenes) == 6 and board.duration_s <= 30


def test_it_names_what_a_group_or_ranking_covers(fleet):
    def heading(request_text):
        return storyboard_plan(request=request_text).scenes[1].data.get("heading")

    assert heading("the visionspace integration platform") == "Services in the VisionSpace integration platform"
    assert heading("gold or silver vls solutions") == "Gold or silver VLS solutions"
    assert heading("the vls and diamond cli solutions that are not compliant") == (
        "VLS solutions and Diamond CLI solutions that are not yet compliant")
    assert storyboard_plan(request="which services have the most replicas").scenes[0].narration == (
        "The five services with the most replicas.")
    assert len(storyboard_plan(request="compare the vls solutions").scenes[1].data["items"]) == 10


@pytest.mark.parametrize(("typed", "tokens"), [
    ("What's Dr. Lucy's status?", ["what", "is", "dr", "lucy", "status"]),
    ("Doctor Burby’s UPTIME over 48h", ["dr", "burby", "uptime", "over", "48", "hours"]),
    ("Containerized & café", ["containerised", "and", "cafe"]),
])
def test_it_reads_typed_text_one_way(typed, tokens):
    from apps.studio.planner.text import phrase_tokens, request_tokens

    assert request_tokens(typed) == tokens
    assert list(phrase_tokens(typed)) == tokens  # a catalogue name reads the same as a request
