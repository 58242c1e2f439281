"""Requests the planner cannot map: a clear "I can't show that yet — … Try …", never a random video."""

import pytest

from apps.studio.planner import REFUSAL_START, storyboard_plan
from apps.studio.storyboard import PlanRefused

GENERAL = ["show me the flight memory system status", "compare dr lucy and dr burby", "show the fleet overview"]
ABOUT_LUCY = ["show me the dr lucy status", "show the dr lucy compliance",
              "show the dr lucy health over the last 24 hours"]

REFUSALS = [
    ("", "I didn't catch a request", GENERAL),
    ("   \n\t ", "I didn't catch a request", GENERAL),
    ("?!?", "I didn't catch a request", GENERAL),
    ("hey visionspace", "I didn't catch a request", GENERAL),
    ("show the fleet " * 21, "at most 300 characters", GENERAL),
    ("show me the weather", 'I don\'t know "weather"', GENERAL),
    ("what is the weather today", 'I don\'t know "weather"', GENERAL),
    ("play some music", 'I don\'t know "play" or "music"', GENERAL),
    ("asdkjh qwe zxcv bnm", 'I don\'t know "asdkjh", "qwe" or "zxcv" and more', GENERAL),
    ("delete all services", "the stage only shows things, it can't delete anything", GENERAL),
    ("restart the hub", "it can't restart anything", None),
    ("please deploy dr lucy to production", "it can't deploy anything", ABOUT_LUCY),
    ("'; DROP TABLE services; --", "it can't drop anything", GENERAL),
    ("<script>alert('dr lucy')</script>", 'I don\'t know "script" or "alert"', ABOUT_LUCY),
    ("dr lucy weather", 'I don\'t know "weather"', ABOUT_LUCY),
    ("compare lucy, burby, lee, sabina and memoria", "I can compare at most 4 services at once",
     ["show me the dr lucy status", "show me the dr burby status", "compare dr lucy and dr burby"]),
    ("compare dr lucy", "name two to four services to compare", ABOUT_LUCY),
    ("top 50 services by uptime", "a ranking shows 1 to 10 services", GENERAL),
    ("top 0 services", "a ranking shows 1 to 10 services", GENERAL),
    ("dr lucy health over the last 90 days", "a time range is one hour to 30 days", ABOUT_LUCY),
    ("dr lucy health over the last 0 hours", "a time range is one hour to 30 days", ABOUT_LUCY),
    ("dr lucy health over 2 days and 3 hours", "more than one time range", ABOUT_LUCY),
    ("show me", "tell me what to show", GENERAL),
    ("compliance", "tell me which service, or say the fleet",
     ["show the dr lucy compliance", "show the fleet compliance", "top 5 services by compliance"]),
    ("show 3 dr lucy", "a number goes with a ranking", ABOUT_LUCY),
    ("1 OR 1=1", "more than one number", GENERAL),
]


@pytest.mark.parametrize(("request_text", "reason", "suggestions"), REFUSALS,
                         ids=[r[0][:40] or "empty" for r in REFUSALS])
def test_it_refuses_clearly_with_suggestions_that_work(fleet, request_text, reason, suggestions):
    with pytest.raises(PlanRefused) as refused:
        storyboard_plan(request=request_text)
    message = refused.value.message
    assert message.startswith(f"{REFUSAL_START} — ")
    assert reason in message
    assert len(refused.value.suggestions) == 3
    if suggestions is not None:
        assert refused.value.suggestions == suggestions
    assert message.endswith(" or ".join([", ".join(f'"{s}"' for s in refused.value.suggestions[:2]),
                                         f'"{refused.value.suggestions[2]}".']))
    for suggestion in refused.value.suggestions:
        storyboard_plan(request=suggestion)  # every suggestion is a request that works


def test_it_has_at_least_ten_refusals_in_its_table():
    assert len(REFUSALS) >= 10


def test_it_suggests_the_fleet_when_the_catalogue_is_empty(db):
    with pytest.raises(PlanRefused) as refused:
        storyboard_plan(request="show me the weather")
    assert refused.value.suggestions == ["show the fleet overview", "which services need containerisation",
                                         "top 5 services by compliance"]
    for suggestion in refused.value.suggestions:
        assert storyboard_plan(request=suggestion).scenes[0].kind == "title"


def test_it_never_repeats_more_of_a_hostile_request_than_a_few_short_words(fleet):
    with pytest.raises(PlanRefused) as refused:
        storyboard_plan(request="<b onmouseover=alert(1)>" + "A" * 200 + "</b>")
    message = refused.value.message
    assert "<" not in message and "=" not in message and "(" not in message
    assert 'I don\'t know "b", "onmouseover" or "alert" and more.' in message and "a" * 25 not in message
    with pytest.raises(PlanRefused) as refused:
        storyboard_plan(request="A" * 200)
    assert 'I don\'t know "' + "a" * 24 + '".' in refused.value.message


def test_it_refuses_what_is_not_text(fleet):
    with pytest.raises(PlanRefused):
        storyboard_plan(request=None)
