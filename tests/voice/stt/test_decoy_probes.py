"""Decoy probes: a decoy's win over a catalogue name it sounds like does not refuse the name
(apps/voice/stt/decoy_probes.py). Real espeak-ng and pocketsphinx; the pairs are the measured ones."""

import json

import pytest

from apps.voice.stt import decoy_probes
from apps.voice.stt.decoy_probes import ProbeStore, decoy_beats_name, decoy_explained, recipe
from tests.voice.stt.corpus import recognise, spoken

DECOYS = frozenset({"omaha", "octopus", "muhamed"})
NAMES = ("hub", "automation hub", "key manager", "dr sabina")


@pytest.fixture
def store(tmp_path):
    return ProbeStore(tmp_path / "probes.json")


def test_a_decoy_that_wins_when_the_name_itself_is_said_beats_it(store):
    # Measured before probes: "omaha" took "the hub" in three of four conditions.
    assert decoy_beats_name(name="hub", decoy="omaha", store=store) is True


def test_a_decoy_that_loses_to_the_name_does_not_beat_it(store):
    assert decoy_beats_name(name="hub", decoy="octopus", store=store) is False


def test_it_keeps_the_answer_and_does_not_ask_again(store, tmp_path, monkeypatch):
    assert decoy_beats_name(name="hub", decoy="omaha", store=store) is True
    assert json.loads((tmp_path / "probes.json").read_text())[recipe()] == {"hub|omaha": True}

    def no_probe():
        raise AssertionError("asked again")

    monkeypatch.setattr(decoy_probes, "_probe", no_probe)
    # Another process: a new store over the same file.
    assert decoy_beats_name(name="hub", decoy="omaha", store=ProbeStore(tmp_path / "probes.json")) is True


def test_a_changed_probe_asks_again(store, tmp_path, monkeypatch):
    decoy_beats_name(name="hub", decoy="omaha", store=store)
    monkeypatch.setattr(decoy_probes, "VERSION", decoy_probes.VERSION + 1)
    recipe.cache_clear()
    try:
        assert ProbeStore(tmp_path / "probes.json").get("hub|omaha") is None
    finally:
        recipe.cache_clear()


def test_an_unreadable_store_is_asked_again_and_rewritten(tmp_path, caplog):
    path = tmp_path / "probes.json"
    path.write_text("{not json")
    store = ProbeStore(path)
    assert store.get("hub|omaha") is None
    assert "unreadable" in caplog.text
    assert decoy_beats_name(name="hub", decoy="octopus", store=store) is False
    assert json.loads(path.read_text())[recipe()] == {"hub|octopus": False}


def test_without_espeak_a_decoys_win_counts(store, monkeypatch, caplog):
    monkeypatch.setattr("apps.studio.narration.espeak.shutil.which", lambda program: None)
    decoy_probes._said.cache_clear()  # what earlier tests had espeak-ng say is kept
    assert decoy_beats_name(name="hub", decoy="omaha", store=store) is False
    assert "espeak-ng is not installed" in caplog.text
    assert store.get("hub|omaha") is None  # nothing kept: installing espeak-ng asks properly


def test_a_failed_probe_counts_the_decoy_and_is_not_kept(store, monkeypatch, caplog):
    class Broken:
        def decoy_wins(self, **_):
            raise RuntimeError("decoder gone")

    monkeypatch.setattr(decoy_probes, "_probe", Broken)
    assert decoy_beats_name(name="hub", decoy="omaha", store=store) is False
    assert "could not ask" in caplog.text and store.get("hub|omaha") is None


def test_a_decoy_in_the_place_of_a_name_it_beats_is_explained(store):
    assert decoy_explained(heard="show the hub status", other="show omaha status".split(), names=NAMES,
                           decoys=DECOYS, store=store)
    assert decoy_explained(heard="show me the health of the hub", other="show me the health of omaha".split(),
                           names=NAMES, decoys=DECOYS, store=store)


def test_a_decoy_in_the_place_of_another_name_is_not_explained(store):
    # "omaha" beats "hub", but here it stands where the grammar heard "key manager".
    assert not decoy_explained(heard="compare the hub and the key manager", other="compare the hub and omaha".split(),
                               names=NAMES, decoys=DECOYS, store=store)


def test_a_decoy_where_no_name_was_heard_is_not_explained(store):
    assert not decoy_explained(heard="show the hub status", other="show the hub omaha status".split(), names=NAMES,
                               decoys=DECOYS, store=store)
    assert not decoy_explained(heard="show the hub status", other="show the hub status".split(), names=NAMES,
                               decoys=DECOYS, store=store)  # no decoy at all: nothing to explain


def test_every_decoy_on_the_path_must_be_explained(store):
    assert not decoy_explained(heard="compare the hub and the hub", other="compare omaha and octopus".split(),
                               names=NAMES, decoys=DECOYS, store=store)


def test_the_hub_said_is_heard_and_an_unknown_name_said_is_still_refused(seeded, engine, monkeypatch, tmp_path):
    """The engine's whole path: every decoy win refuses unless its probe explains it (margin 0).
    Measured before probes: a decoy beat "the hub deployments" said by en-gb by 0.65 per frame."""
    assert engine.decoy_margin == 0.0
    monkeypatch.setattr(decoy_probes, "default_store", lambda: ProbeStore(tmp_path / "probes.json"))
    voice = {"voice": "en-gb", "words_per_minute": 170}
    heard, _, _ = recognise(engine, spoken("show the hub deployments", voice["voice"], 170, False), adaptation={})
    assert heard.accepted and heard.text == "show the hub deployments", (heard.text, heard.reason, heard.detail)
    unknown, _, _ = recognise(engine, spoken("show the redis compliance", voice["voice"], 170, False), adaptation={})
    assert not unknown.accepted, (unknown.text, unknown.detail)
