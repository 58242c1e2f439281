from apps.catalog.models import Service
from apps.voice.stt.pocketsphinx_engine import PocketsphinxEngine
from apps.voice.stt.grammar import grammar_current
from tests.voice.stt.corpus import recognise, shown, spoken


def test_a_new_service_becomes_recognisable_on_the_next_utterance(seeded, django_capture_on_commit_callbacks):
    # Whether the name is heard, not whether it clears the confidence threshold (test_accuracy's subject).
    engine = PocketsphinxEngine(suggest=False, reject_below=float("-inf"))
    before = grammar_current()
    assert "weather" not in before.words
    template = Service.objects.get(slug="prediction-engine")
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.create(slug="weather-station", name="Weather Station", purpose="Local forecasts",
                               category=template.category, status=template.status, owner=template.owner,
                               system=template.system)
    after = grammar_current()
    assert after.digest != before.digest and "weather" in after.words
    transcript, _, _ = recognise(engine, spoken("show the weather station status", "en-us", 150, False))
    assert transcript.accepted, transcript
    assert shown(transcript.text) == shown("show the weather station status")
