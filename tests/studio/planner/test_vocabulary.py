"""The vocabulary a speech recogniser's grammar is built from: complete, and every phrase works."""

import pytest

from apps.studio.planner import intent_plan, planner_vocabulary, storyboard_plan
from apps.studio.storyboard import PlanRefused


def test_it_maps_every_service_phrase_to_its_service(fleet):
    vocabulary = planner_vocabulary()
    assert len({slug for _, slug in vocabulary.services}) == 22
    assert ("flight memory system", "dr-lucy-flight-memory") in vocabulary.services
    assert ("s two d o governance system", "dr-burby-s2do-blockchain") in vocabulary.services
    assert ("the hub", "visionspace-automation-hub") in vocabulary.services
    for phrase, slug in vocabulary.services:
        assert intent_plan(request=f"show {phrase}").slugs == (slug,), phrase


def test_it_lists_the_grammar_words_by_role(fleet):
    vocabulary = planner_vocabulary()
    actions = dict(vocabulary.actions)
    assert (actions["compare"], actions["deployments"], actions["uptime"], actions["top"]) == (
        "compare", "deployments", "health", "rank:desc")
    groups = dict(vocabulary.groups)
    assert (groups["the whole fleet"], groups["diamond cli"], groups["need containerisation"]) == (
        "fleet", "category:diamond_cli", "status_filter:needs_containerisation")
    assert ("visionspace integration platform", "visionspace-platform") in vocabulary.systems
    assert dict(vocabulary.time_ranges)["days"] == 24
    assert {"please", "show", "me"} <= set(vocabulary.words())
    assert {"twenty", "four", "hundred"} <= set(vocabulary.numbers)
    assert "delete" in vocabulary.refused_verbs and "visionspace" in vocabulary.wake_words


def test_every_phrase_it_lists_is_one_the_planner_reads(fleet):
    vocabulary = planner_vocabulary()
    assert len(vocabulary.phrases()) > 400
    for phrase in vocabulary.phrases():
        try:
            intent_plan(request=f"dr lucy {phrase}")
        except PlanRefused as refused:
            assert "I don't know" not in refused.message, phrase


def test_its_examples_work(fleet):
    for example in planner_vocabulary().examples:
        storyboard_plan(request=example)


def test_it_follows_the_catalogue(fleet):
    fleet["prediction-engine"].delete()
    assert "prediction-engine" not in {slug for _, slug in planner_vocabulary().services}


@pytest.mark.parametrize("phrase", ["show", "compare", "explain", "health", "compliance", "deployments", "status"])
def test_it_offers_the_actions_people_ask_for(fleet, phrase):
    assert phrase in dict(planner_vocabulary().actions)
