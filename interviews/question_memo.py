"""The questions a quiz card shows and grades against, kept in each worker process.

What a learner sees of a question (prompt, body, choices with their explanations, accepted
answers) changes only with a new version, and any save moves `updated_at`; so a question read
once is kept under (id, version, updated_at, topic name), and later requests use the kept one with
its choices instead of reading and building them again. A question read under a new key replaces
nothing: old keys fall out after KEPT others. Kept questions are shared between requests: nothing
may change them.
"""

import threading
from collections import OrderedDict

from interviews.models import Question
from interviews.quizzes import load_grading_key

KEPT = 2048

_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def kept_question(question: Question) -> Question:
    """The kept copy of `question` (as just read, with its topic), or `question` itself with its
    grading key loaded, kept from now on."""
    key = (question.pk, question.version, question.updated_at, question.topic.name)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    load_grading_key([question])
    with _lock:
        _kept[key] = question
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return question


def forget_all():
    """For tests: their rolled-back rows reuse ids, and a frozen clock repeats updated_at."""
    with _lock:
        _kept.clear()
