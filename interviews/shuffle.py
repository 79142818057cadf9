"""The order a learner sees a question's choices in: shuffled, but stable for one seed.

The seed names the place the question is shown (a quiz item, or a learner on the question page),
so a reload, the htmx swap, the feedback, the results page and the no-JavaScript path all show
the same order without storing it, and no answer is given away by its position in the bank file.
"""

import hashlib


def choice_order(choices, *, kind: str, seed: str) -> list:
    """`choices` in display order: True/False stay as they are; others sorted by a keyed hash."""
    choices = list(choices)
    if kind == "true_false":
        return sorted(choices, key=lambda choice: choice.text != "True")
    return sorted(choices, key=lambda choice: hashlib.blake2b(f"{seed}:{choice.pk}".encode(), digest_size=8).digest())


def item_seed(item_id: int) -> str:
    return f"item:{item_id}"


def page_seed(user_id: int | None, question_id: int) -> str:
    return f"page:{user_id or 0}:{question_id}"
