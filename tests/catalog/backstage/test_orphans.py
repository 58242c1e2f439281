"""Entities gone from a re-imported source are marked orphaned, never deleted; back again, they are not."""

import pytest

from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import Relation, Service, System

from .conftest import read

pytestmark = pytest.mark.django_db


def without_document(text: str, name: str) -> str:
    return "---".join(part for part in text.split("---") if f"name: {name}\n" not in part)


def test_it_orphans_what_disappeared_from_the_same_source_and_keeps_it():
    full = read("media-platform-all.yaml")
    catalog_import_text(text=full, source="repo:stage")
    shorter = without_document(full, "stage-player")
    report = catalog_import_text(text=shorter, source="repo:stage")
    assert report.ok and report.applied
    assert (report.created, report.updated, report.unchanged, report.orphaned) == (0, 0, 4, 1)
    assert ("component:default/stage-player", "orphaned") in report.changes
    player = Service.objects.get(slug="stage-player")
    assert player.orphaned and player.source == "repo:stage"
    assert Relation.objects.filter(source=player).count() == 3  # kept with it
    assert not Service.objects.filter(orphaned=True).exclude(slug="stage-player").exists()


def test_an_entity_that_reappears_is_no_longer_orphaned():
    full = read("media-platform-all.yaml")
    catalog_import_text(text=full, source="repo:stage")
    catalog_import_text(text=without_document(full, "stage-platform").replace("  system: stage-platform\n", ""),
                        source="repo:stage")
    assert System.objects.get(slug="stage-platform").orphaned
    report = catalog_import_text(text=full, source="repo:stage")
    assert report.orphaned == 0 and report.updated >= 1
    assert ("system:default/stage-platform", "updated") in report.changes
    assert not System.objects.get(slug="stage-platform").orphaned
    assert not Service.objects.filter(orphaned=True).exists()


def test_other_sources_are_never_orphaned_by_an_import():
    catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage")
    catalog_import_text(text=read("media-platform-system.yaml"), source="repo:media")
    assert not System.objects.filter(orphaned=True).exists()
    assert Service.objects.filter(source="repo:stage", orphaned=False).count() == 4


def test_an_empty_file_does_not_orphan_the_whole_source():
    catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage")
    report = catalog_import_text(text="# emptied by mistake\n", source="repo:stage")
    assert not report.applied and "nothing was imported" in report.errors[0].message
    assert not Service.objects.filter(orphaned=True).exists()
