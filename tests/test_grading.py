"""Grading is exact for choices and forgiving only about case, spacing and Unicode forms."""

import pytest

from interviews.grading import grade_choices, grade_output, grade_short, normalise


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


# Fair grading of typed names: `()`, receivers and namespaces


@pytest.mark.parametrize(
    ("given", "accepted", "expected"),
    [
        ("model.eval()", "model.eval()", True),
        ("model.eval", "model.eval()", True),  # a trailing () is optional
        ("net.eval()", "model.eval()", True),  # any receiver
        ("eval()", "model.eval()", True),  # or none
        ("eval", "model.eval()", True),
        ("y.grad_fn", "x.grad_fn", True),  # attributes too
        ("grad_fn", "t.grad_fn", True),
        ("t.layout", "layout", True),
        (".layout", "layout", True),  # a leading dot, as in "call .eval()"
        (".eval()", "model.eval()", True),
        ("model.eval()", ".eval()", True),
        ("torch.nn.functional.log_softmax()", "F.log_softmax", True),  # namespaces are optional
        ("nn.functional.log_softmax", "F.log_softmax", True),
        ("log_softmax", "torch.nn.functional.log_softmax", True),
        ("F.log_softmax", "log_softmax", True),
        ("torch.no_grad()", "no_grad", True),
        ("nn.Linear", "torch.nn.Linear", True),
        ("model.train()", "model.eval()", False),  # a different method is still wrong
        ("F.softmax", "F.log_softmax", False),
        ("eval(model)", "model.eval()", False),  # not a dotted name: compared as written
        ("model.eval(x)", "model.eval()", False),
        ("evaluate", "model.eval()", False),
    ],
)
def test_name_leniency(given, accepted, expected):
    assert grade_short(given, [accepted]) is expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("torch.float32", True), ("float32", False), ("x.float32", False), ("torch.float32()", False)],
)
def test_strict_names_turns_the_name_leniency_off(given, expected):
    assert grade_short(given, ["torch.float32"], strict_names=True) is expected


@pytest.mark.parametrize(
    ("given", "accepted", "expected"),
    [
        ("2", "2", True),
        ("2.0", "2", True),
        ("2.00", "2", True),
        ("2", "2.0", True),
        ("0.5", ".5", True),
        ("1e-3", "0.001", True),
        ("1,000", "1000", True),
        ("200", "200 updates", True),  # without the unit
        ("200 updates", "200 updates", True),
        ("200 update", "200 updates", True),  # singular or plural
        ("200  Updates", "200 updates", True),
        ("200 steps", "200 updates", False),  # a different unit is wrong
        ("201", "200 updates", False),
        ("2.01", "2", False),
        ("4 dimensions", "4", True),  # the accepted answer names no unit: the learner's is extra
        ("two", "2", False),
    ],
)
def test_numbers_compare_as_numbers(given, accepted, expected):
    assert grade_short(given, [accepted]) is expected


def test_catastrophic_regex_is_graded_in_linear_time():
    # (a+)+b backtracks exponentially on Python's re; RE2 answers at once.
    assert grade_short("a" * 5000, [], "(a+)+b") is False
    assert grade_short("a" * 30 + "b", [], "(a+)+b") is True


def test_a_regex_re2_cannot_compile_never_matches():
    assert grade_short("aa", [], r"(a)\1") is False


# Output questions


@pytest.mark.parametrize(
    ("given", "key", "expected"),
    [
        ("torch.Size([2, 5])", "torch.Size([2, 5])", True),
        ("(2, 5)", "torch.Size([2, 5])", True),
        ("[2,5]", "torch.Size([2, 5])", True),
        ("2, 5", "torch.Size([2, 5])", True),
        ("(3,)", "torch.Size([3])", True),
        ("()", "torch.Size([])", True),
        ("(5, 2)", "torch.Size([2, 5])", False),
        ("torch.float32", "torch.float32", True),
        ("float32", "torch.float32", True),
        ("torch.float", "torch.float32", True),
        ("float", "torch.float32", True),
        ("torch.long", "torch.int64", True),
        ("torch.float64", "torch.float32", False),
        ("14", "tensor(14.)", True),
        ("14.0", "tensor(14.)", True),
        ("tensor(14.)", "tensor(14.)", True),
        ("tensor(14.0000)", "tensor(14.)", True),
        ("15", "tensor(14.)", False),
        ("[1, 2, 3]", "tensor([1., 2., 3.])", True),
        ("[[1, 2], [3, 4]]", "tensor([[1., 2.],\n        [3., 4.]])", True),
        ("[[1, 2], [3, 5]]", "tensor([[1., 2.],\n        [3., 4.]])", False),
        ("True", "True", True),
        ("true", "True", True),
        ("False", "True", False),
        ("RuntimeError", "RuntimeError", True),
        ("RuntimeError: shape mismatch", "RuntimeError", True),
        ("raises RuntimeError", "RuntimeError", True),
        ("torch.OutOfMemoryError", "OutOfMemoryError", True),
        ("IndexError", "RuntimeError", False),
        ("True\nFalse", "True\nFalse", True),
        ("True False", "True\nFalse", False),
        ("", "True", False),
    ],
)
def test_output_spellings(given, key, expected):
    assert grade_output(given, [key]) is expected


def test_output_other_accepted_spellings_count_too():
    assert grade_output("three", ["3", "three"])
