"""Decoys: the grammar's place for a name the catalogue does not have (apps/voice/stt/decoys.py)."""

from apps.catalog.models import Service
from apps.studio.planner import planner_vocabulary
from apps.voice.stt import refusal_message
from apps.voice.stt.decoys import MIN_DISTANCE, decoys_pick, sound_distance
from apps.voice.stt.grammar import grammar_build, grammar_current
from apps.voice.stt.pronunciation import pronunciations
from apps.voice.stt.sentences import is_sentence, sentence_pattern
from tests.voice.stt.corpus import NEAR_MISSES, OUT_OF_GRAMMAR, recognise, spoken


def _words(sentences) -> set[str]:
    return {word for sentence in sentences for word in sentence.split()}


def test_the_suites_unknown_names_are_not_decoys(seeded):
    # Otherwise the suite would measure a list fitted to it, not how decoys stand for any name.
    assert not grammar_current().decoys & _words(OUT_OF_GRAMMAR + NEAR_MISSES)


def test_no_decoy_is_a_grammar_word_or_sounds_almost_like_one(seeded):
    grammar = grammar_current()
    assert len(grammar.decoys) >= 500
    known = set(grammar.words) - grammar.decoys
    assert not grammar.decoys & known
    sounds = {tuple(p.split()) for word in known for p in pronunciations(word)}
    for decoy in sorted(grammar.decoys)[::25]:
        decoy_sound = tuple(pronunciations(decoy)[0].split())
        assert min(sound_distance(decoy_sound, sound) for sound in sounds) >= MIN_DISTANCE, decoy


def test_it_picks_the_same_decoys_for_the_same_catalogue(seeded):
    vocabulary = planner_vocabulary()
    assert grammar_build(vocabulary=vocabulary).decoys == grammar_build(vocabulary=vocabulary).decoys


def test_a_new_service_swaps_out_only_the_decoys_it_sounds_like(seeded, django_capture_on_commit_callbacks):
    before = grammar_current().decoys
    taken = sorted(before)[len(before) // 2]  # a decoy becomes a real name
    template = Service.objects.get(slug="prediction-engine")
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.create(slug=taken, name=taken.title(), purpose="Local forecasts", category=template.category,
                               status=template.status, owner=template.owner, system=template.system)
    after = grammar_current().decoys
    assert taken not in after and len(after) == len(before)
    assert len(before - after) <= len(before) // 20, before - after  # its words and their near-homophones


def test_a_decoy_fills_the_service_slot_of_every_shape_and_only_in_the_decoy_grammar(seeded):
    grammar = grammar_current()
    with_decoys, plain = sentence_pattern(grammar.jsgf_decoys), sentence_pattern(grammar.jsgf)
    decoy = sorted(grammar.decoys)[0]
    for sentence in (f"show the {decoy} compliance", f"compare the hub and {decoy}", f"how is {decoy} doing",
                     f"what does the {decoy} depend on", f"explain the {decoy}"):
        assert is_sentence(with_decoys, sentence), sentence
        assert not is_sentence(plain, sentence), sentence  # what the stage may act on never has one
    assert not is_sentence(with_decoys, f"show the fleet {decoy}")  # only where a name goes


def test_it_refuses_an_unknown_name_and_says_so(seeded, engine):
    transcript, _, _ = recognise(engine, spoken("show me the ollama status", "en-us", 150, False), adaptation={})
    assert not transcript.accepted
    assert transcript.reason == "unknown_name", transcript
    assert "…" in transcript.text.split() and not grammar_current().decoys & set(transcript.text.split())


def test_the_message_for_an_unknown_name_offers_a_real_one(seeded):
    message = refusal_message(suggestion=None, reason="unknown_name")
    assert message.startswith("Sorry, that isn't a service in the catalogue — try “")


def test_the_distance_counts_a_like_phone_as_half_an_edit():
    assert sound_distance(("HH", "AH", "B"), ("HH", "AH", "B")) == 0
    assert sound_distance(("HH", "AH", "B"), ("HH", "AH", "P")) == 0.5 / 3  # a stop for a stop
    assert sound_distance(("HH", "AH", "B"), ("HH", "AH", "M")) == 1 / 3
    assert sound_distance(("HH", "AH", "B"), ("DH", "AH", "HH", "AH", "B")) == 2 / 5


def test_decoys_pick_honours_count_and_exclusions():
    picked = decoys_pick(count=50, exclude=frozenset())
    assert len(picked) == 50 and picked == tuple(sorted(picked))
    assert decoys_pick(count=0, exclude=frozenset()) == ()
    assert not set(decoys_pick(count=50, exclude=frozenset(picked[:10]))) & set(picked[:10])
