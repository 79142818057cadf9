"""Grading is exact for choices and forgiving only about case, spacing and Unicode forms."""

import pytest

from interviews.grading import grade_choices, grade_short, normalise


@pytest.mark.parametrize(
    ("kind", "correct", "selected", "expected"),
    [
        ("single", {1}, {1}, True),
        ("single", {1}, {2}, False),
        ("single", {1}, {1, 2}, False),
        ("single", {1}, set(), False),
        ("true_false", {7}, {7}, True),
        ("true_false", {7}, {8}, False),
        ("multiple", {1, 2}, {1, 2}, True),
        ("multiple", {1, 2}, {1}, False),
        ("multiple", {1, 2}, {1, 2, 3}, False),
        ("multiple", {3}, {3}, True),
        ("multiple", {1, 2}, set(), False),
    ],
)
def test_choice_grading(kind, correct, selected, expected):
    assert grade_choices(kind, correct, selected) is expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("backward", True),
        ("  BACKWARD ", True),
        ("\uff22\uff41\uff43\uff4b\uff57\uff41\uff52\uff44", True),  # full-width "Backward": NFKC folds it
        ("loss.backward()", True),
        ("loss . backward()", False),
        ("backwards", False),
        ("", False),
        ("   ", False),
    ],
)
def test_short_answer_grading(given, expected):
    assert grade_short(given, ["backward", "loss.backward()"]) is expected


def test_inner_whitespace_is_collapsed():
    assert normalise("mini   batch\tgradient\ndescent") == "mini batch gradient descent"
    assert grade_short("mini  batch", ["Mini batch"])


def test_curator_regex_matches_the_whole_normalised_answer():
    assert grade_short("3.14", [], r"3\.14\d*")
    assert grade_short("3.14159", [], r"3\.14\d*")
    assert not grade_short("about 3.14", [], r"3\.14\d*")
