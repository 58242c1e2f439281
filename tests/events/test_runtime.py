"""The web process's GC settings (apps/events/runtime.py): where they apply, what they do."""

import gc
import sys

import pytest

from apps.events import runtime


@pytest.fixture
def gc_restored(monkeypatch):
    thresholds = gc.get_threshold()
    monkeypatch.setattr(runtime, "_applied", False)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.parametrize(
    "argv, daphne",
    [
        (["/srv/.venv/bin/daphne", "-b", "0.0.0.0", "visionspace_site.asgi:application"], True),
        (["/srv/.venv/lib/python3.11/site-packages/daphne/__main__.py", "visionspace_site.asgi:application"], True),
        (["/srv/.venv/bin/pytest", "tests/events"], False),
        (["/srv/.venv/bin/celery", "-A", "visionspace_site", "worker"], False),
        (["manage.py", "runstack"], False),
    ],
)
def test_it_knows_a_daphne_process(monkeypatch, argv, daphne):
    monkeypatch.setattr(sys, "argv", argv)
    assert runtime.is_daphne_process() is daphne


def test_importing_the_application_elsewhere_leaves_the_collector_alone(monkeypatch, gc_restored):
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/pytest"])
    monkeypatch.delenv(runtime.ENV, raising=False)
    before = gc.get_threshold()
    assert runtime.serving_started() is False
    assert gc.get_threshold() == before


def test_a_daphne_process_freezes_its_start_up_heap_and_raises_the_young_threshold(monkeypatch, gc_restored):
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/daphne"])
    monkeypatch.delenv(runtime.ENV, raising=False)
    assert runtime.serving_started() is True
    assert gc.get_threshold() == runtime.THRESHOLDS
    assert gc.get_freeze_count() > 1000
    assert runtime.serving_started() is False  # once per process


def test_it_can_be_switched_off_and_forced_on(monkeypatch, gc_restored):
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/daphne"])
    monkeypatch.setenv(runtime.ENV, "off")
    assert runtime.serving_started() is False
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/uvicorn"])
    monkeypatch.setenv(runtime.ENV, "on")
    assert runtime.serving_started() is True


def test_it_records_collections():
    pauses = runtime.GcPauses().install()
    try:
        gc.collect()
        summary = pauses.summary()
        assert summary["gen2"]["count"] >= 1 and summary["gen2"]["max_ms"] >= 0
    finally:
        gc.callbacks.remove(pauses._callback)
