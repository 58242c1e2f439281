"""CS-012: CPU and memory limits are set."""

import pytest

from .conftest import check


@pytest.mark.parametrize(("cpu", "memory"), [("2", "4Gi"), ("500m", "512Mi"), ("0.5", "1G")])
def test_both_limits_pass(cpu, memory):
    assert check("CS-012", cpu=cpu, memory=memory).status == "pass"


@pytest.mark.parametrize(("cpu", "memory", "reason"), [
    ("", "4Gi", "no cpu limit"),
    ("2", "", "no memory limit"),
    ("0", "1Gi", "cpu '0' is not a positive quantity"),
    ("lots", "1Gi", "cpu 'lots' is not a positive quantity"),
    ("1", "4 GB", "memory '4 GB' is not a positive quantity"),
])
def test_missing_or_nonsense_limits_fail(cpu, memory, reason):
    outcome = check("CS-012", cpu=cpu, memory=memory)
    assert outcome.status == "fail" and reason in outcome.evidence
