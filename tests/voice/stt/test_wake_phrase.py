"""Wake-phrase mode. The spoken wake phrase itself is a weak spot with espeak-ng audio (the
en-us model rarely hears "VisionSpace" from it; docs/benchmarks.md, voice_accuracy), so the
stripping rule is checked on what the decoder heard, and the refusal on real audio."""

from tests.voice.stt.corpus import recognise, spoken


def test_a_heard_wake_phrase_is_stripped_and_the_rest_is_what_counts(seeded, engine):
    required = engine.recognizer(wake_phrase_required=True)
    optional = engine.recognizer()
    try:
        assert required._plannable("vision space show the fleet overview") == ("show the fleet overview", True, None)
        assert required._plannable("hey visionspace show the fleet health") == ("show the fleet health", True, None)
        assert required._plannable("show the fleet overview")[0] is None
        # Without the requirement a leading "visionspace" that is not followed by a request names the hub.
        assert optional._plannable("visionspace status") == ("visionspace status", False, None)
    finally:
        required.cancel()
        optional.cancel()


def test_it_rejects_a_command_without_the_wake_phrase_when_required(seeded, engine):
    transcript, _, _ = recognise(engine, spoken("show the fleet overview", "en-us", 150, False),
                                 wake_phrase_required=True)
    assert not transcript.accepted and transcript.reason in {"no_wake_phrase", "low_confidence", "incomplete"}
