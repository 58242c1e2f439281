from apps.studio.planner import planner_vocabulary, storyboard_plan
from apps.voice.stt.grammar import _spoken_alias, grammar_current
from apps.voice.stt.sentences import is_sentence, sentence_pattern
from tests.voice.stt.corpus import COMMANDS, OUT_OF_GRAMMAR

TOPICS = ("status", "compliance", "health over the last twenty four hours", "deployments", "replicas")


def test_every_grammar_word_is_a_word_the_planner_knows(seeded):
    grammar = grammar_current()  # decoys aside: they are only ever heard, never planned (test_decoys.py)
    assert set(grammar.words) - grammar.decoys <= set(planner_vocabulary().words())
    assert not grammar.decoys & set(planner_vocabulary().words())


def test_every_service_phrase_is_heard_and_planned_with_every_topic(seeded):
    pattern = sentence_pattern(grammar_current().jsgf)
    phrases = {_spoken_alias(p) for p, _ in planner_vocabulary().services if all(w.isalpha() for w in p.split())} - {""}
    assert len(phrases) > 100
    for phrase in phrases:
        for topic in TOPICS:
            sentence = f"show the {phrase} {topic}"
            assert is_sentence(pattern, sentence), sentence
            assert storyboard_plan(request=sentence), sentence


def test_the_spoken_commands_are_sentences_and_the_others_are_not(seeded):
    pattern = sentence_pattern(grammar_current().jsgf)
    for command in COMMANDS:
        assert is_sentence(pattern, command), command
    for sentence in OUT_OF_GRAMMAR:
        assert not is_sentence(pattern, sentence), sentence


def test_the_planner_examples_without_digits_are_sentences(seeded):
    pattern = sentence_pattern(grammar_current().jsgf)
    examples = [e for e in planner_vocabulary().examples if all(w.isalpha() for w in e.split())]
    assert examples
    for example in examples:
        assert is_sentence(pattern, example), example
