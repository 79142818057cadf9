"""Grading: pure functions of the question's key and the learner's answer."""

import re
import unicodedata
from collections.abc import Collection, Iterable


def normalise(text: str) -> str:
    """Unicode NFKC, case-folded, with surrounding and repeated inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def grade_choices(kind: str, correct_ids: Collection[int], selected_ids: Collection[int]) -> bool:
    """single/true_false: the one correct choice; multiple: exactly the correct set."""
    selected = set(selected_ids)
    if kind in {"single", "true_false"} and len(selected) != 1:
        return False
    return selected == set(correct_ids)


def grade_short(text: str, accepted_answers: Iterable[str], answer_regex: str = "") -> bool:
    given = normalise(text)
    if not given:
        return False
    if any(given == normalise(accepted) for accepted in accepted_answers):
        return True
    return bool(answer_regex) and re.fullmatch(answer_regex, given, flags=re.IGNORECASE) is not None
