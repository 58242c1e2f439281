from apps.studio.planner import intent_plan
from apps.voice.stt.pocketsphinx_engine import PocketsphinxEngine
from tests.voice.stt.corpus import recognise, spoken


def test_a_refusal_runs_the_general_model_and_suggests_only_what_can_be_planned(seeded):
    # A threshold nothing passes: the refusal path, whatever the grammar decoder made of it.
    engine = PocketsphinxEngine(suggest=True, reject_below=float("inf"))
    transcript, _, _ = recognise(engine, spoken("show me the fleet overview please", "en-us", 150, False))
    assert not transcript.accepted and "suggest_ms" in transcript.detail
    if transcript.suggestion is not None:
        assert intent_plan(request=transcript.suggestion)


def test_accepted_utterances_never_run_the_suggestion_pass(seeded):
    engine = PocketsphinxEngine(suggest=True, reject_below=float("-inf"))
    transcript, _, _ = recognise(engine, spoken("show the fleet overview", "en-us", 150, False))
    assert transcript.accepted, transcript
    assert transcript.suggestion is None and "suggest_ms" not in transcript.detail
