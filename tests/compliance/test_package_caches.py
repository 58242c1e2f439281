"""CS-013: package installs clean up in the same layer; no index update alone."""

import pytest

from .conftest import check

BASE = "FROM debian:12.8-slim\n"


@pytest.mark.parametrize("run", [
    "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
    "RUN apk add --no-cache curl",
    "RUN pip install --no-cache-dir -r requirements.txt",
    "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    "RUN dnf install -y curl && dnf clean all",
    "RUN echo no packages",
])
def test_clean_installs_pass(run):
    assert check("CS-013", f"{BASE}{run}\n").status == "pass"


@pytest.mark.parametrize(("run", "leftover"), [
    ("RUN apt-get update && apt-get install -y curl", "apt lists"),
    ("RUN apk add curl", "the apk cache"),
    ("RUN pip install flask==3.1.0", "the pip cache"),
    ("RUN python -m pip install -r r.txt", "the pip cache"),
    ("RUN yum install -y curl", "the yum/dnf cache"),
])
def test_installs_that_leave_caches_fail_at_their_line(run, leftover):
    outcome = check("CS-013", f"{BASE}{run}\n")
    assert outcome.status == "fail" and outcome.line == 2 and leftover in outcome.evidence


def test_an_update_on_its_own_fails():
    outcome = check("CS-013", f"{BASE}RUN apt-get update\nRUN apt-get install -y x && rm -rf /var/lib/apt/lists/*\n")
    assert outcome.status == "fail" and outcome.line == 2 and "CIS 4.7" in outcome.evidence


def test_pip_no_cache_dir_from_env_counts():
    assert check("CS-013", f"{BASE}ENV PIP_NO_CACHE_DIR=1\nRUN pip install -r r.txt\n").status == "pass"


def test_build_stages_that_do_not_ship_are_ignored():
    dockerfile = "FROM debian:12.8 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12.8-slim\n"
    assert check("CS-013", dockerfile).status == "pass"
