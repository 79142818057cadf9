"""The rules each question kind must meet, as pure functions every entry point calls.

They are split by the part of a question they look at, because Django admin edits the
choices, the accepted answers and the question itself in separate forms.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import re2

TRUE_FALSE_TEXTS = ("True", "False")
CHOICE_KINDS = {"single", "multiple", "true_false"}


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    is_correct: bool


def choice_rule_errors(kind: str, choices: Sequence[ChoiceSpec]) -> list[str]:
    if kind not in CHOICE_KINDS:
        return [f"A {kind.replace('_', '/')} question has no choices; remove them."] if choices else []
    errors = []
    correct = sum(1 for choice in choices if choice.is_correct)
    texts = [choice.text.strip() for choice in choices]
    if any(not text for text in texts):
        errors.append("Every choice needs a text.")
    if len(set(texts)) != len(texts):
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
    elif sorted(texts) != sorted(TRUE_FALSE_TEXTS):
        errors.append("A true/false question needs exactly the two choices 'True' and 'False'.")
    elif correct != 1:
        errors.append("A true/false question needs exactly 1 correct choice.")
    return errors


TYPED_KINDS = {"short", "output"}
CODE_FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


def short_answer_rule_errors(kind: str, accepted_answers: Sequence[str], answer_regex: str) -> list[str]:
    if kind not in TYPED_KINDS:
        if accepted_answers or answer_regex:
            return ["Only short-answer and output questions have accepted answers or an answer regex."]
        return []
    errors = []
    if not [text for text in accepted_answers if text.strip()]:
        noun = "A short-answer" if kind == "short" else "An output"
        errors.append(f"{noun} question needs at least 1 accepted answer (for output: what the code prints).")
    if answer_regex and kind == "output":
        errors.append("An output question is graded against its accepted answers only; remove the regex.")
    elif answer_regex and (problem := regex_problem(answer_regex)):
        errors.append(f"The answer regex does not compile on RE2, the engine that grades: {problem}.")
    return errors


def regex_problem(answer_regex: str) -> str:
    """Why RE2 refuses the pattern as grading runs it (look-arounds and back-references among
    others), or "" when it compiles. RE2 matches in linear time, so nested quantifiers are safe."""
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(f"(?i:{answer_regex})", options)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return ""


def open_rule_errors(kind: str, answer: str, key_points: Sequence[str]) -> list[str]:
    if kind != "open":
        return []
    errors = []
    if not answer.strip():
        errors.append("An open question needs a model answer.")
    if not [point for point in key_points if point.strip()]:
        errors.append("An open question needs at least 1 key point.")
    return errors


def output_snippet(body: str) -> str | None:
    """The one Python block of an output question's body, or None when there is not exactly one."""
    blocks = CODE_FENCE.findall(body)
    return blocks[0] if len(blocks) == 1 else None


def output_rule_errors(kind: str, body: str) -> list[str]:
    if kind != "output":
        return []
    if output_snippet(body) is None:
        return ["An output question's body needs exactly one ```python block: the code whose output is asked."]
    return []


def kind_rule_errors(
    kind: str,
    *,
    choices: Sequence[ChoiceSpec] = (),
    accepted_answers: Sequence[str] = (),
    answer_regex: str = "",
    answer: str = "",
    key_points: Sequence[str] = (),
    body: str = "",
) -> list[str]:
    """Every way the content breaks the rules of its kind (empty when it is fine)."""
    return (
        choice_rule_errors(kind, choices)
        + short_answer_rule_errors(kind, accepted_answers, answer_regex)
        + open_rule_errors(kind, answer, key_points)
        + output_rule_errors(kind, body)
    )
