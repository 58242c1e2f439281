"""The seeded catalogue, and a planner that starts every test from an empty lexicon cache."""

import pytest

from apps.catalog.models import Service
from apps.catalog.services import catalog_seed
from apps.studio.planner import lexicon


@pytest.fixture(autouse=True)
def fresh_lexicon():
    # Tests roll the database back, so two tests may see different catalogues under one fingerprint.
    lexicon._current.clear()
    lexicon._aliases_seen.clear()
    yield
    lexicon._current.clear()
    lexicon._aliases_seen.clear()


@pytest.fixture
def fleet(db):
    catalog_seed()
    return {s.slug: s for s in Service.objects.select_related("container")}
