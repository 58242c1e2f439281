"""manage.py catalog_import / catalog_export: thin, with a summary, every error printed, exit code non-zero."""

import io
import os
import select
import subprocess
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from apps.catalog.models import Service
from apps.catalog.services import catalog_seed
from tests.support import processes

from .conftest import FILES, Route, read


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_prints_a_summary_and_the_warnings():
    out, err = run("catalog_import", str(FILES / "media-platform-all.yaml"), "--source", "repo:stage")
    assert out.startswith(f"Imported {FILES / 'media-platform-all.yaml'} as repo:stage: 5 created, 0 updated, "
                          "0 unchanged, 0 orphaned.")
    assert "warning: " in err and "not Group" in err
    assert Service.objects.count() == 4


@pytest.mark.django_db
def test_a_failed_import_prints_every_error_and_exits_non_zero():
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"3 error\(s\) in .*invalid-component.yaml; nothing was imported"):
        call_command("catalog_import", str(FILES / "invalid-component.yaml"), stdout=io.StringIO(), stderr=err)
    lines = [line for line in err.getvalue().splitlines() if line.startswith("error: ")]
    assert len(lines) == 3
    assert "document 2 (component:default/invalid component), metadata.name:" in lines[0]
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_says_so():
    out, _ = run("catalog_import", str(FILES / "media-platform-all.yaml"), "--dry-run")
    assert out.startswith("Would import") and "5 created" in out and "Nothing was changed (dry run)." in out
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_export_to_a_file_then_import_it_back_needs_adopt_over_the_seed(tmp_path):
    catalog_seed()
    target = tmp_path / "catalog-info.yaml"
    _, err = run("catalog_export", "-o", str(target))
    assert err.strip() == f"Exported 25 entities to {target}."
    assert len(list(yaml.safe_load_all(target.read_text()))) == 25
    with pytest.raises(CommandError, match=r"25 error\(s\)"):
        run("catalog_import", str(target))
    out, _ = run("catalog_import", str(target), "--adopt")
    assert "0 created, 25 updated" in out


@pytest.mark.django_db
def test_export_writes_yaml_to_stdout():
    catalog_seed()
    out, _ = run("catalog_export")
    assert out.startswith("---\napiVersion: backstage.io/v1alpha1\nkind: System\n")
    assert out.count("\nkind: Component\n") == 22


def test_export_reports_an_unwritable_target(tmp_path, db):
    with pytest.raises(CommandError, match="cannot write .*check the directory exists"):
        run("catalog_export", "-o", str(tmp_path / "missing" / "out.yaml"))


@pytest.mark.django_db
def test_import_by_url_from_the_command(http_server, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    http_server.routes["/catalog-info.yaml"] = Route(body=read("media-platform-all.yaml").encode())
    out, _ = run("catalog_import", f"{http_server.url}/catalog-info.yaml")
    assert f"as url:{http_server.url}/catalog-info.yaml: 5 created" in out


def test_the_command_draws_a_progress_bar_on_a_terminal(transactional_db):
    """A real manage.py process with a real pseudo-terminal as its stderr."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "catalog_import", str(FILES / "media-platform-all.yaml")],
        cwd=processes.ROOT, env=processes.subprocess_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    stdout, _ = process.communicate(timeout=120)
    terminal = b""
    while select.select([master], [], [], 0)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end is closed: everything has been read
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    assert process.returncode == 0, terminal.decode()
    assert b"\rImporting [" + b"#" * 30 + b"] 5/5 component:default/stage-consumer" in terminal
    assert b"5 created" in stdout
    assert Service.objects.filter(source__startswith="file:").count() == 4
