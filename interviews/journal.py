"""Mistake journal workflows: misses land in the journal with each final answer; right answers resolve them."""

from django.db import connection

from interviews.models import Answer, JournalEntry, Question
from interviews.rows import insert

CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE}


def is_miss(answer: Answer) -> bool:
    """A wrong auto-graded answer, or an open question the learner rated Again (Hard is shaky, not a miss)."""
    if answer.self_rating:  # only open questions are rated by the learner
        return answer.self_rating == Answer.Rating.AGAIN
    return answer.is_correct is False


# Written out: they run inside every answer's transaction. In an UPDATE the right-hand sides read
# the row as it was, so one earlier right answer is enough to resolve with this one.
RIGHT_ANSWER = """
UPDATE interviews_journalentry
SET right_in_a_row = right_in_a_row + 1, resolved_at = CASE WHEN right_in_a_row >= %s THEN %s END
WHERE user_id = %s AND question_id = %s AND resolved_at IS NULL
"""
RUN_BROKEN = """
UPDATE interviews_journalentry SET right_in_a_row = 0
WHERE user_id = %s AND question_id = %s AND resolved_at IS NULL AND right_in_a_row > 0
"""


def note_answer(answer: Answer, *, now) -> None:
    """Keep the journal in step with one final answer; call inside the answer's transaction.

    A right answer counts towards resolving the question's open entries (two in a row resolve
    them); anything else breaks the run, and a miss adds an entry.
    """
    with connection.cursor() as cursor:
        if answer.is_correct:
            resolved_at = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(
                RIGHT_ANSWER, [JournalEntry.RIGHT_IN_A_ROW - 1, resolved_at, answer.user_id, answer.question_id]
            )
            return
        cursor.execute(RUN_BROKEN, [answer.user_id, answer.question_id])
    if is_miss(answer):
        insert(JournalEntry(user_id=answer.user_id, question_id=answer.question_id, answer=answer, created_at=now))


def forget_miss(answer: Answer) -> None:
    """The learner showed the answer was right after all ("I was right"): it is no mistake."""
    JournalEntry.objects.filter(answer=answer).delete()


def open_mistake_questions(user):
    """Published questions with an open journal entry: the "Drill my open mistakes" preset."""
    return Question.objects.published().filter(
        pk__in=JournalEntry.objects.open().filter(user=user).values("question_id")
    )


def describe(entry: JournalEntry) -> dict:
    """What the learner answered and what was right, for display (the grading key must be loaded)."""
    question, answer = entry.question, entry.answer
    if question.kind in CHOICE_KINDS:
        choices = question.choices.all()
        picked = set(answer.selected_choice_ids)
        return {
            "kind": "choices",
            "given": [c.text_html for c in choices if c.pk in picked],
            "right": [c.text_html for c in choices if c.is_correct],
        }
    if question.kind == Question.Kind.OPEN:
        return {"kind": "open", "key_points": question.key_point_list}
    accepted = [a.text for a in question.accepted_answers.all()]
    return {
        "kind": "typed",
        "typed": answer.text,
        "accepted": accepted[:1] if question.kind == Question.Kind.OUTPUT else accepted,
    }
