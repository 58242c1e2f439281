"""The seeded catalogue, a fresh grammar per test, one engine per session, and spoken audio."""

from __future__ import annotations

import os

import pytest

from apps.studio.planner import lexicon
from apps.voice.stt import grammar
from tests.support.speech import speech_tools_missing


@pytest.fixture(scope="session", autouse=True)
def speech_tools():
    missing = speech_tools_missing()
    if missing:
        hint = f"install the Debian packages {' and '.join(missing)} (apt-get install espeak-ng ffmpeg)"
        if os.environ.get("VISIONSPACE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"speech tests need {hint}")
        pytest.fail(f"speech tests need real spoken audio: {hint}")


@pytest.fixture(autouse=True)
def fresh_grammar():
    # Tests roll the database back: two tests may see different catalogues under one fingerprint.
    for cache in (lexicon._current, lexicon._aliases_seen, grammar._current):
        cache.clear()
    yield
    for cache in (lexicon._current, lexicon._aliases_seen, grammar._current):
        cache.clear()


@pytest.fixture
def seeded(db):
    from apps.catalog.services import catalog_seed

    catalog_seed()


@pytest.fixture(scope="session")
def engine():
    from apps.voice.stt.pocketsphinx_engine import PocketsphinxEngine

    return PocketsphinxEngine(suggest=False)
