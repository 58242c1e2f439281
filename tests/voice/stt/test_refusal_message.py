import re

from apps.studio.planner import storyboard_plan
from apps.voice.stt import refusal_message


def test_it_offers_a_request_that_works_about_a_real_service(seeded):
    message = refusal_message(suggestion=None)
    example = re.fullmatch(r"Sorry, I didn't catch that — try “(.+)”\.", message).group(1)
    assert storyboard_plan(request=example)
    assert "flight memory" in example  # the first seed service, by its purpose


def test_it_appends_the_suggestion_when_there_is_one(seeded):
    message = refusal_message(suggestion="show the fleet health")
    assert message.startswith("Sorry, I didn't catch that — try “")
    assert message.endswith("”. Did you mean “show the fleet health”?")
