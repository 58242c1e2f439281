from apps.voice.stt.grammar import grammar_current
from apps.voice.stt.pronunciation import cmu_dictionary, dictionary_text, pronunciations

PHONES = {"AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY",
          "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z",
          "ZH", "SIL"}


def test_every_grammar_word_has_a_pronunciation_in_the_model_phone_set(seeded):
    words = grammar_current().words
    entries = dict(line.split(" ", 1) for line in dictionary_text(list(words)).splitlines())
    for word in words:
        assert word in entries, word
    for word, phones in entries.items():
        assert phones.split() and set(phones.split()) <= PHONES, (word, phones)


def test_names_outside_the_dictionary_are_split_into_dictionary_words():
    assert "pipecat" not in cmu_dictionary()
    assert pronunciations("pipecat") == (f'{cmu_dictionary()["pipe"][0]} {cmu_dictionary()["cat"][0]}',)
    assert pronunciations("visionspace")[0].startswith(cmu_dictionary()["vision"][0])
    assert pronunciations("containerised")[0].endswith("AY Z D")


def test_unknown_names_get_letter_to_sound_and_short_ones_are_also_spelled():
    for name in ("ollama", "qdrant", "langfuse", "grafana"):
        assert name not in cmu_dictionary()
        assert pronunciations(name)[0] != "SIL"
    assert "V IY EH L EH S" in pronunciations("vls")
