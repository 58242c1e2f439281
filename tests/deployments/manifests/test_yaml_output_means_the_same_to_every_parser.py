"""names.yaml_dump: one meaning for YAML 1.1 (PyYAML) and 1.2 (Go) readers, no anchors."""

from __future__ import annotations

import pytest
import yaml

from apps.deployments.manifests.names import yaml_dump, yaml_dump_all

from .tools import HOSTILE


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_any_string_reads_back_as_the_same_string(value):
    assert yaml.safe_load(yaml_dump({"key": value})) == {"key": value}


@pytest.mark.parametrize("value", ["0o17", "1e3", "0x1F", "1_000", "12:30", "yes", "on", "null", "~", "True", ".inf", "a:"])
def test_strings_a_yaml_1_2_reader_would_type_differently_are_quoted(value):
    assert yaml_dump({"key": value}).strip() != f"key: {value}"


def test_repeated_objects_are_written_out_not_aliased():
    shared = {"drop": ["ALL"]}
    text = yaml_dump({"a": shared, "b": shared})
    assert "&" not in text and "*" not in text
    assert yaml.safe_load(text) == {"a": shared, "b": shared}


def test_scripts_are_literal_blocks_and_documents_are_separated():
    text = yaml_dump_all([{"run": 'echo "$A"\n  indented\n'}, {"n": 1}])
    assert text.startswith("---\nrun: |\n  echo \"$A\"\n    indented\n")
    assert list(yaml.safe_load_all(text)) == [{"run": 'echo "$A"\n  indented\n'}, {"n": 1}]
