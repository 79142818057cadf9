"""Every question kind's rules, as the loader, admin and publish() apply them."""

import pytest

from interviews.rules import ChoiceSpec, kind_rule_errors


def choices(*specs):
    return [ChoiceSpec(text, correct) for text, correct in specs]


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        ("single", {"choices": choices(("a", True), ("b", False))}, []),
        ("single", {"choices": choices(("a", True))}, ["at least 2 choices"]),
        ("single", {"choices": choices(("a", True), ("b", True))}, ["exactly 1 correct choice, not 2"]),
        ("single", {"choices": choices(("a", False), ("b", False))}, ["exactly 1 correct choice, not 0"]),
        ("multiple", {"choices": choices(("a", True), ("b", True), ("c", False))}, []),
        ("multiple", {"choices": choices(("a", True), ("b", False))}, ["at least 3 choices"]),
        ("multiple", {"choices": choices(("a", False), ("b", False), ("c", False))}, ["at least 1 correct"]),
        ("true_false", {"choices": choices(("True", False), ("False", True))}, []),
        ("true_false", {"choices": choices(("Yes", True), ("No", False))}, ["'True' and 'False'"]),
        ("true_false", {"choices": choices(("True", True), ("False", True))}, ["exactly 1 correct"]),
        ("single", {"choices": choices(("a", True), ("a", False))}, ["same text"]),
        ("short", {"accepted_answers": ["backward"]}, []),
        ("short", {"accepted_answers": []}, ["at least 1 accepted answer"]),
        ("short", {"accepted_answers": ["x"], "answer_regex": "(unclosed"}, ["does not compile"]),
        ("short", {"accepted_answers": ["x"], "answer_regex": "(?=back)backward"}, ["does not compile on RE2"]),
        ("short", {"accepted_answers": ["x"], "answer_regex": r"(a)\1"}, ["does not compile on RE2"]),
        ("short", {"accepted_answers": ["x"], "answer_regex": "(a+)+b"}, []),
        ("short", {"accepted_answers": ["x"], "choices": choices(("a", True))}, ["has no choices"]),
        ("open", {"answer": "Model answer", "key_points": ["one"]}, []),
        ("open", {"answer": "", "key_points": ["one"]}, ["needs a model answer"]),
        ("open", {"answer": "Model answer", "key_points": []}, ["at least 1 key point"]),
        ("open", {"answer": "A", "key_points": ["k"], "accepted_answers": ["x"]}, ["Only short-answer"]),
    ],
)
def test_kind_rules(kind, content, expected):
    errors = kind_rule_errors(kind, **content)
    assert len(errors) == len(expected), errors
    for error, fragment in zip(errors, expected, strict=True):
        assert fragment in error
