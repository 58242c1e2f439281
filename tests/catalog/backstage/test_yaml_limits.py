"""Hostile YAML gets a clear error, quickly, and never reaches the database."""

import time

import pytest

from apps.catalog.backstage import parse
from apps.catalog.backstage.importer import catalog_import_file, catalog_import_text
from apps.catalog.models import Service

from .conftest import FILES

pytestmark = pytest.mark.django_db

COMPONENT = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {name}
spec:
  type: service
  lifecycle: production
  owner: group:ops
"""


def messages(report) -> str:
    return "\n".join(str(e) for e in report.errors)


def test_it_bounds_a_billion_laughs_file_in_time_and_says_why():
    started = time.perf_counter()
    report = catalog_import_file(path=FILES / "billion-laughs.yaml")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"took {elapsed:.2f} s"
    assert "expands to more than 250,000 values" in messages(report)
    assert "aliases" in messages(report)
    assert not Service.objects.exists()


def test_it_bounds_a_self_referencing_alias():
    text = COMPONENT.format(name="loop") + "  loop: &x [*x]\n"
    report = catalog_import_text(text=text, source="t")
    assert "expands to more than" in messages(report) or "nested more than" in messages(report)


def test_it_still_reads_a_file_that_uses_anchors_and_merge_keys_modestly():
    text = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: one\n"
            "  links:\n    - &runbook {url: https://wiki.example.com/runbook, title: Runbook}\n"
            "    - {<<: *runbook, title: Runbook (copy)}\n"
            "spec:\n  type: service\n  lifecycle: production\n  owner: group:ops\n")
    report = catalog_import_text(text=text, source="t")
    assert report.ok, messages(report)
    assert [link["title"] for link in Service.objects.get(slug="one").links] == ["Runbook", "Runbook (copy)"]


def test_it_refuses_a_file_over_the_size_limit_before_parsing():
    text = COMPONENT.format(name="big") + "# " + "x" * parse.MAX_BYTES + "\n"
    report = catalog_import_text(text=text.encode(), source="t")
    assert len(report.errors) == 1 and "the limit is 5 MB" in report.errors[0].message


def test_it_refuses_more_documents_than_the_limit():
    text = "".join("---\n" + COMPONENT.format(name=f"s{i}") for i in range(parse.MAX_DOCUMENTS + 1))
    report = catalog_import_text(text=text, source="t")
    assert "more than 1000 documents" in messages(report)
    assert not Service.objects.exists()


def test_it_refuses_deep_nesting_without_crashing():
    shallow = COMPONENT.format(name="deep") + "  deep: " + "[" * 60 + "]" * 60 + "\n"
    assert "nested more than 40 levels" in messages(catalog_import_text(text=shallow, source="t"))
    abyss = COMPONENT.format(name="deeper") + "  deep: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert "nested too deeply" in messages(catalog_import_text(text=abyss, source="t"))


def test_it_refuses_text_that_is_not_utf8():
    report = catalog_import_text(text=COMPONENT.format(name="caf\xe9").encode("latin-1"), source="t")
    assert "not UTF-8 text" in messages(report)


def test_it_accepts_a_utf8_byte_order_mark():
    report = catalog_import_text(text=b"\xef\xbb\xbf" + COMPONENT.format(name="bom").encode(), source="t")
    assert report.ok, messages(report)


def test_it_refuses_nul_characters_and_values_json_cannot_hold():
    text = COMPONENT.format(name="odd").replace("type: service", 'type: "serv\\0ice"')
    text += "  blob: !!binary aGVsbG8=\n  ratio: .nan\n  1: numeric key\n"
    report = catalog_import_text(text=text, source="t")
    found = {e.field: e.message for e in report.errors}
    assert "NUL character" in found["spec.type"]
    assert "binary value" in found["spec.blob"]
    assert "finite number" in found["spec.ratio"]
    assert "keys must be text" in found["spec"]


def test_it_reads_dates_as_text_as_yaml_1_2_does():
    text = COMPONENT.format(name="dated") + "  launched: 2024-05-01\n"
    report = catalog_import_text(text=text, source="t")
    assert report.ok, messages(report)
    assert Service.objects.get(slug="dated").annotations["@backstage"]["spec"] == {"launched": "2024-05-01"}


def test_it_needs_at_least_one_entity():
    for text in ("", "---\n---\n", "# nothing\n"):
        report = catalog_import_text(text=text, source="t")
        assert "no Component, System, Resource or API entities found" in messages(report)


def test_a_five_megabyte_file_parses_in_reasonable_time():
    definition = "\n".join(f"    line {i}: {'x' * 60}" for i in range(65_000))
    text = ("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: huge-api\nspec:\n  type: openapi\n"
            "  lifecycle: production\n  owner: group:ops\n  definition: |\n" + definition + "\n")
    assert parse.MAX_BYTES * 0.8 < len(text) < parse.MAX_BYTES
    started = time.perf_counter()
    report = catalog_import_text(text=text, source="t")
    elapsed = time.perf_counter() - started
    assert report.ok, messages(report)
    assert elapsed < 10, f"{elapsed:.1f} s"
