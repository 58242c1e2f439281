"""CS-002: the final image is built on a minimal base."""

import pytest

from .conftest import check


@pytest.mark.parametrize("image", ["node:24-alpine", "python:3.11-slim", "gcr.io/distroless/static-debian12",
                                   "scratch", "cgr.dev/chainguard/python:latest"])
def test_minimal_bases_pass(image):
    assert check("CS-002", f"FROM {image}\n").status == "pass"


@pytest.mark.parametrize("image", ["node:24", "python:3.11", "ubuntu:24.04", "debian:bookworm"])
def test_full_distribution_bases_fail_at_their_line(image):
    outcome = check("CS-002", f"# comment\nFROM {image}\n")
    assert outcome.status == "fail" and outcome.line == 2 and "full distribution" in outcome.evidence


def test_only_the_final_stage_matters():
    dockerfile = "FROM node:24.11.1 AS build\nRUN echo\n\nFROM node:24.11.1-alpine3.22\n"
    assert check("CS-002", dockerfile).status == "pass"
    assert check("CS-002", "FROM node:24.11.1-alpine3.22 AS a\nFROM node:24.11.1\n").status == "fail"


def test_a_base_from_an_unset_build_arg_cannot_be_checked():
    outcome = check("CS-002", "ARG BASE\nFROM $BASE\n")
    assert outcome.status == "fail" and "$BASE" in outcome.evidence


def test_a_base_from_a_build_arg_default_is_resolved():
    assert check("CS-002", "ARG TAG=24.11.1-alpine3.22\nFROM node:${TAG}\n").status == "pass"
