"""CS-006: every external base image is pinned to a full version or a digest."""

import pytest

from .conftest import check


@pytest.mark.parametrize("image", ["node:24.11.1-alpine3.22", "python:3.11.10-slim-bookworm",
                                   "alpine@sha256:" + "a" * 64, "scratch"])
def test_full_versions_and_digests_pass(image):
    assert check("CS-006", f"FROM {image}\n").status == "pass"


@pytest.mark.parametrize(("image", "reason"), [
    ("node:24-alpine", "'24-alpine' is a floating tag"),
    ("python:3.11-slim", "'3.11-slim' is a floating tag"),
    ("node", "has no tag, which means latest"),
    ("node:latest", "uses latest"),
    ("registry.local:5000/team/app", "has no tag"),
])
def test_floating_tags_fail_with_the_reason(image, reason):
    outcome = check("CS-006", f"FROM {image}\n")
    assert outcome.status == "fail" and outcome.line == 1 and reason in outcome.evidence


def test_every_stage_is_checked_and_each_failure_listed():
    dockerfile = "FROM node:24 AS deps\nRUN true\nFROM python:3.11.10-slim AS b\nFROM golang:1.23\n"
    outcome = check("CS-006", dockerfile)
    assert outcome.status == "fail" and outcome.line == 1
    assert "line 1:" in outcome.evidence and "line 4:" in outcome.evidence and "line 3:" not in outcome.evidence


def test_a_stage_built_from_an_earlier_stage_is_not_an_image():
    dockerfile = "FROM node:24.11.1-alpine3.22 AS base\nFROM base AS test\nFROM BASE\n"
    assert check("CS-006", dockerfile).status == "pass"
