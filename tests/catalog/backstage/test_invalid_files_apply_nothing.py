"""A file with any error lands nothing: its valid documents wait for the file to be fixed."""

import pytest

from apps.catalog.backstage.importer import catalog_import_file, catalog_import_text
from apps.catalog.services import catalog_seed

from .conftest import FILES, catalogue_state, read

pytestmark = pytest.mark.django_db

INVALID = ["invalid-component.yaml", "dangling-reference.yaml", "bad-tag.yaml", "not-a-mapping.yaml",
           "syntax-error.yaml", "billion-laughs.yaml", "duplicates.yaml", "wrong-types.yaml",
           "bad-annotations.yaml", "python-object.yaml"]


@pytest.mark.parametrize("name", INVALID)
def test_it_applies_nothing_from_an_invalid_file(name):
    catalog_seed()
    before = catalogue_state()
    report = catalog_import_file(path=FILES / name, source="repo:probe")
    assert report.errors and not report.applied
    assert (report.created, report.updated, report.unchanged, report.orphaned, report.changes) == (0, 0, 0, 0, [])
    assert catalogue_state() == before
    for error in report.errors:
        assert error.file == str(FILES / name) and error.message


def test_it_reports_the_invalid_name_and_tag_of_backstages_own_example_and_its_dangling_system():
    report = catalog_import_file(path=FILES / "invalid-component.yaml")
    found = {(e.document, e.entity, e.field): e.message for e in report.errors}
    assert set(found) == {
        (2, "component:default/invalid component", "metadata.name"),
        (2, "component:default/invalid component", "metadata.tags[1]"),
        (2, "component:default/invalid component", "spec.system"),
    }
    assert "(e.g. invalid-component)" in found[(2, "component:default/invalid component", "metadata.name")]
    assert "(e.g. go-1-15-3)" in found[(2, "component:default/invalid component", "metadata.tags[1]")]
    assert "system:default/audio-playback is neither in this file nor in the catalogue" in found[
        (2, "component:default/invalid component", "spec.system")]


def test_a_failed_re_import_leaves_the_previous_import_as_it_was():
    good = read("media-platform-all.yaml")
    assert catalog_import_text(text=good, source="repo:stage").applied
    before = catalogue_state()
    broken = good.replace("name: stage-player", "name: stage player").replace("- javascript", "- JavaScript")
    report = catalog_import_text(text=broken, source="repo:stage")
    assert not report.applied and len(report.errors) == 2
    assert catalogue_state() == before


def test_it_reports_every_wrong_type_in_a_document_at_once():
    report = catalog_import_file(path=FILES / "wrong-types.yaml")
    fields = [e.field for e in report.errors]
    assert fields == ["metadata.title", "metadata.annotations.example.com/build-number", "metadata.tags",
                      "metadata.links[0].url", "spec.owner"]
    assert 'quote it: example.com/build-number: "42"' in report.errors[1].message
    assert "is missing; every link needs url" in report.errors[3].message


def test_it_reports_every_bad_visionspace_annotation_with_what_to_write():
    report = catalog_import_file(path=FILES / "bad-annotations.yaml")
    by_field = {e.field.removeprefix("metadata.annotations.visionspace.io/"): e.message for e in report.errors}
    assert set(by_field) == {"category", "image", "replicas", "ports", "env", "min-instances"}
    # Other visionspace.io annotations belong to other apps (build-context, auth, scan): a near-miss only warns.
    assert [(w.field, w.message) for w in report.warnings] == [
        ("metadata.annotations.visionspace.io/imgae", "kept as a plain annotation; did you mean visionspace.io/image?")]
    assert "put those in visionspace.io/tag" in by_field["image"]
    assert "70000 is outside 1–65535" in by_field["ports"]
    assert "'robots' is not one of vls, diamond_cli, integration" in by_field["category"]
    assert "above max-instances" in by_field["min-instances"]


def test_it_refuses_duplicates_even_across_kinds_and_letter_case():
    report = catalog_import_file(path=FILES / "duplicates.yaml")
    assert [(e.document, e.entity) for e in report.errors] == [
        (2, "component:default/Twin-Service"), (4, "api:default/shared-name")]
    assert "already defined in document 1" in report.errors[0].message
    assert "share one list of names" in report.errors[1].message


def test_it_reports_each_non_mapping_document_by_position():
    report = catalog_import_file(path=FILES / "not-a-mapping.yaml")
    assert [(e.document, e.entity) for e in report.errors] == [(2, None), (3, None)]
    assert "is a list, not a mapping" in report.errors[0].message
    assert "is a string, not a mapping" in report.errors[1].message


def test_it_gives_the_line_of_a_yaml_syntax_error():
    report = catalog_import_file(path=FILES / "syntax-error.yaml")
    assert len(report.errors) == 1
    assert report.errors[0].document == 2
    assert "not valid YAML at line 15, column 5" in report.errors[0].message


def test_it_never_constructs_python_objects(tmp_path):
    marker = tmp_path / "pwned"
    text = read("python-object.yaml").replace("/tmp/visionspace-pwned", str(marker))
    report = catalog_import_text(text=text, source="repo:probe")
    assert "Remove the '!!' tag" in report.errors[0].message
    assert not marker.exists()
