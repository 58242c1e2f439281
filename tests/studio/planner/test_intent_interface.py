"""The seam another planner (an LLM's) plugs into: an Intent in, the same builders, the same checks."""

import pytest

from apps.studio.planner import Intent, Scope, intent_plan, storyboard_from_intent
from apps.studio.storyboard import PlanRefused


def test_an_intent_builds_the_same_storyboard_as_the_words_for_it(fleet):
    intent = Intent(shape="compare", slugs=("dr-lucy-flight-memory", "dr-burby-s2do-blockchain"), metric="replicas")
    assert intent_plan(request="compare dr lucy and dr burby by replicas") == intent
    built = storyboard_from_intent(intent=intent, request="lucy vs burby, replicas")
    assert [s.kind for s in built.scenes] == ["title", "comparison", "service_card", "service_card"]


def test_an_intent_naming_a_service_not_in_the_catalogue_is_refused(fleet):
    with pytest.raises(PlanRefused, match='there is no service "dr-nobody" in the catalogue') as refused:
        storyboard_from_intent(intent=Intent(shape="service", slugs=("dr-nobody",)), request="dr nobody")
    assert len(refused.value.suggestions) == 3


@pytest.mark.parametrize("fields", [
    {"shape": "poem"},
    {"shape": "service", "slugs": ()},
    {"shape": "compare", "slugs": ("a",)},
    {"shape": "compare", "slugs": ("a", "b", "c", "d", "e")},
    {"shape": "fleet", "topics": ("sing",)},
    {"shape": "fleet", "topics": ()},
    {"shape": "ranking", "metric": "vibes"},
    {"shape": "ranking", "count": 11},
    {"shape": "service", "slugs": ("a",), "hours": 0},
    {"shape": "service", "slugs": ("a",), "hours": 24 * 31},
])
def test_an_intent_outside_what_can_be_shown_does_not_exist(fields):
    with pytest.raises(ValueError):
        Intent(**fields)


def test_a_scope_without_filters_is_the_fleet():
    assert Scope().is_fleet and not Scope(categories=("vls",)).is_fleet
