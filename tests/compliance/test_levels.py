"""Levels and scores from rule outcomes."""

import pytest

from apps.compliance.levels import grade

C, H, M = "critical", "high", "medium"


@pytest.mark.parametrize(("outcomes", "level"), [
    ([(C, "pass"), (H, "pass"), (M, "pass")], "gold"),
    ([(C, "pass"), (H, "pass"), (M, "pass"), (M, "not_applicable")], "gold"),
    ([(C, "pass"), (H, "pass"), (M, "fail")], "silver"),
    ([(C, "pass"), (H, "pass"), (M, "unknown")], "silver"),
    ([(C, "pass"), (H, "fail"), (M, "pass")], "bronze"),
    ([(C, "pass"), (H, "unknown"), (M, "pass")], "bronze"),
    ([(C, "fail"), (H, "pass"), (M, "pass")], "none"),
    ([(C, "unknown"), (H, "pass"), (M, "pass")], "none"),
    ([(C, "not_applicable"), (H, "pass")], "gold"),
    ([], "none"),
])
def test_levels(outcomes, level):
    assert grade(outcomes).level == level


def test_the_score_is_passed_over_applicable_rounded_down():
    result = grade([(C, "pass"), (H, "pass"), (M, "fail"), (M, "not_applicable")])
    assert (result.passed, result.applicable, result.score) == (2, 3, 66)
    assert grade([(M, "pass")] * 199 + [(M, "unknown")]).score == 99


def test_unknown_counts_as_applicable_and_not_passed():
    result = grade([(C, "unknown"), (M, "pass")])
    assert (result.passed, result.applicable, result.score) == (1, 2, 50)
