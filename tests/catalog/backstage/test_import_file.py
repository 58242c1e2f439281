"""Import from a local file: the source is the file, unreadable paths are reported, not raised."""

import pytest

from apps.catalog.backstage.importer import catalog_import_file
from apps.catalog.models import Service

from .conftest import read

pytestmark = pytest.mark.django_db


def test_a_file_is_its_own_source_unless_one_is_given(tmp_path):
    path = tmp_path / "catalog-info.yaml"
    path.write_text(read("media-platform-all.yaml"))
    assert catalog_import_file(path=path).source == f"file:{path}"
    moved = tmp_path / "moved.yaml"
    path.rename(moved)
    report = catalog_import_file(path=moved, source=f"file:{path}")
    assert report.ok and report.unchanged == 5


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_an_unreadable_path_is_reported(tmp_path, name):
    report = catalog_import_file(path=tmp_path / name)
    assert not report.applied
    assert "cannot read the file" in report.errors[0].message and "check the path" in report.errors[0].message
    assert not Service.objects.exists()


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs
    report = catalog_import_file(path=path)
    assert report.errors[0].message.startswith("the file is 50.0 MB; the limit is 5 MB.")


def test_the_source_name_must_be_sane(tmp_path):
    path = tmp_path / "catalog-info.yaml"
    path.write_text(read("media-platform-all.yaml"))
    report = catalog_import_file(path=path, source="x" * 501)
    assert "the source must be a name of 1–500 characters" in report.errors[0].message
    assert not Service.objects.exists()
