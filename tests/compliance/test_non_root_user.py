"""CS-001: the container must not run as root."""

from .conftest import GOOD_NODE, check


def test_a_numeric_non_root_user_in_the_final_stage_passes():
    outcome = check("CS-001", GOOD_NODE)
    assert outcome.status == "pass" and outcome.line == 10 and "10001:10001" in outcome.evidence


def test_no_user_fails_at_the_final_from():
    outcome = check("CS-001", "FROM node:24.11.1-alpine3.22\nWORKDIR /app\nCMD [\"node\", \".\"]\n")
    assert outcome.status == "fail" and outcome.line == 1
    assert "runs as root" in outcome.evidence


def test_a_user_only_in_a_build_stage_fails():
    dockerfile = "FROM node:24.11.1-alpine3.22 AS build\nUSER 1000\n\nFROM node:24.11.1-alpine3.22\nCMD [\"node\"]\n"
    outcome = check("CS-001", dockerfile)
    assert outcome.status == "fail" and outcome.line == 4
    assert "USER at line 2 is in a build stage" in outcome.evidence


def test_the_last_user_counts_so_switching_back_to_root_fails():
    dockerfile = "FROM alpine:3.22.2\nUSER 1000\nRUN id\nUSER root\n"
    outcome = check("CS-001", dockerfile)
    assert outcome.status == "fail" and outcome.line == 4 and "is root" in outcome.evidence


def test_uid_zero_with_a_group_is_root():
    assert check("CS-001", "FROM alpine:3.22.2\nUSER 0:1000\n").status == "fail"


def test_a_variable_user_cannot_be_verified_and_fails():
    outcome = check("CS-001", "FROM alpine:3.22.2\nARG UID=0\nUSER ${UID}\n")
    assert outcome.status == "fail" and "variable" in outcome.evidence


def test_a_user_inherited_from_the_stage_the_final_one_extends_passes():
    dockerfile = "FROM alpine:3.22.2 AS base\nUSER 10001\n\nFROM base\nCMD [\"sh\"]\n"
    outcome = check("CS-001", dockerfile)
    assert outcome.status == "pass" and outcome.line == 2


def test_a_distroless_nonroot_base_without_user_passes():
    outcome = check("CS-001", "FROM gcr.io/distroless/nodejs22-debian12:nonroot\nCMD [\"app.js\"]\n")
    assert outcome.status == "pass" and "nonroot" in outcome.evidence
