"""Every fixture file, valid and invalid, imported one after another: the valid ones land, the invalid
ones are reported, and not one entity of an invalid file is in the catalogue."""

import re

import pytest

from apps.catalog.backstage.importer import catalog_import_file
from apps.catalog.models import Service, System

from .conftest import FILES, VALID_FILES

pytestmark = pytest.mark.django_db


def names_in(path) -> set[str]:
    """Read as text, since some of these files are not YAML a loader accepts."""
    return set(re.findall(r"^  name: (.+)$", path.read_text(), flags=re.MULTILINE))


def test_valid_files_land_and_invalid_ones_are_reported_with_nothing_partial():
    # Dependencies first: a reference must resolve when its file is imported.
    order = VALID_FILES + sorted(p.name for p in FILES.glob("*.yaml") if p.name not in VALID_FILES)
    reports = {name: catalog_import_file(path=FILES / name) for name in order}
    landed = set(Service.objects.values_list("slug", flat=True)) | set(System.objects.values_list("slug", flat=True))
    valid = set(VALID_FILES) | {"unsupported-kinds.yaml"}
    assert {name for name, report in reports.items() if report.applied} == valid
    for name, report in reports.items():
        names = names_in(FILES / name) - {"ops", "guest", "stage-team"}  # Group and User: skipped
        if name in valid:
            assert not report.errors and names <= landed, name
        else:
            assert report.errors and not (names & landed), name
            assert all(e.message and e.file.endswith(name) for e in report.errors)
