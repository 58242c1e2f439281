"""Progress is reported per entity, and drawn as a bar only on a terminal."""

import io
import os
import select

import pytest

from apps.catalog.backstage.exporter import catalog_export_yaml
from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.backstage.progress import ProgressBar

from .conftest import read

pytestmark = pytest.mark.django_db


def test_import_reports_each_entity_once_in_order():
    calls = []
    report = catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage",
                                 progress=lambda *args: calls.append(args))
    assert report.ok
    assert calls == [
        (1, 5, "system:default/stage-platform"), (2, 5, "resource:default/stage-cache"),
        (3, 5, "api:default/stage-events"), (4, 5, "component:default/stage-player"),
        (5, 5, "component:default/stage-consumer"),
    ]


def test_export_reports_each_entity():
    catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage")
    calls = []
    catalog_export_yaml(progress=lambda *args: calls.append(args))
    assert [c[:2] for c in calls] == [(i, 5) for i in range(1, 6)]
    assert calls[0][2] == "system:default/stage-platform"


def test_a_failed_import_reports_no_progress():
    calls = []
    catalog_import_text(text=read("media-platform-all.yaml").replace("name: stage-cache", "name: stage cache"),
                        source="repo:stage", progress=lambda *args: calls.append(args))
    assert calls == []


def test_the_bar_draws_on_a_terminal_and_ends_with_a_newline():
    master, slave = os.openpty()
    with open(slave, "w") as tty:
        bar = ProgressBar(tty, label="Importing")
        assert bar.enabled
        bar(1, 4, "component:default/a")
        bar(4, 4, "component:default/d")
        bar.close()
    output = ""
    while "\n" not in output:
        ready, _, _ = select.select([master], [], [], 5)
        assert ready, f"the bar never ended its line: {output!r}"
        output += os.read(master, 4096).decode()
    os.close(master)
    assert "\rImporting [#######-----------------------] 1/4 component:default/a" in output
    assert "\rImporting [" + "#" * 30 + "] 4/4 component:default/d" in output
    assert output.endswith("\n")


def test_the_bar_stays_silent_when_output_is_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(stream, label="Importing")
    bar(1, 1, "component:default/a")
    bar.close()
    assert stream.getvalue() == ""
