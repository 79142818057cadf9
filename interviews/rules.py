"""The rules each question kind must meet, as one pure function every entry point calls."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

TRUE_FALSE_TEXTS = ("True", "False")


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    is_correct: bool


def kind_rule_errors(
    kind: str,
    *,
    choices: Sequence[ChoiceSpec] = (),
    accepted_answers: Sequence[str] = (),
    answer_regex: str = "",
    answer: str = "",
    key_points: Sequence[str] = (),
) -> list[str]:
    """Return every way the content breaks the rules of its kind (empty when it is fine)."""
    errors = []
    correct = sum(1 for choice in choices if choice.is_correct)
    if kind in {"single", "multiple", "true_false"}:
        if any(not choice.text.strip() for choice in choices):
            errors.append("Every choice needs a text.")
        if len({choice.text.strip() for choice in choices}) != len(choices):
            errors.append("Two choices have the same text.")
    if kind == "single":
        if len(choices) < 2:
            errors.append("A single-answer question needs at least 2 choices.")
        if correct != 1:
            errors.append(f"A single-answer question needs exactly 1 correct choice, not {correct}.")
    elif kind == "multiple":
        if len(choices) < 3:
            errors.append("A multiple-answer question needs at least 3 choices.")
        if correct < 1:
            errors.append("A multiple-answer question needs at least 1 correct choice.")
    elif kind == "true_false":
        if sorted(choice.text.strip() for choice in choices) != sorted(TRUE_FALSE_TEXTS):
            errors.append("A true/false question needs exactly the two choices 'True' and 'False'.")
        elif correct != 1:
            errors.append("A true/false question needs exactly 1 correct choice.")
    elif choices:
        errors.append(f"A {kind} question has no choices; remove them.")

    if kind == "short":
        if not [text for text in accepted_answers if text.strip()]:
            errors.append("A short-answer question needs at least 1 accepted answer.")
        if answer_regex:
            try:
                re.compile(answer_regex)
            except re.error as error:
                errors.append(f"The answer regex does not compile: {error}.")
    elif accepted_answers or answer_regex:
        errors.append("Only short-answer questions have accepted answers or an answer regex.")

    if kind == "open":
        if not answer.strip():
            errors.append("An open question needs a model answer.")
        if not [point for point in key_points if point.strip()]:
            errors.append("An open question needs at least 1 key point.")
    return errors
