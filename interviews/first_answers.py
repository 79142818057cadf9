"""The common answer, stored by a transaction that only writes.

A first, final answer to a practice, review or interview question is graded and scheduled (FSRS)
from what hot_reads.answer_item() read before any lock, and its rows are prepared then too. The
transaction runs a few written-out statements, each re-checking what the computation assumed: one
answer per quiz question (none yet), the card's review count (nobody reviewed it since), the quiz
still open. If anything changed, nothing is written and the caller takes the locked path
(quizzes.record_answer), which reads again and decides.
"""

from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction

from interviews.journal import note_answer
from interviews.models import Answer, Question, Quiz, QuizQuestion, ReviewCard
from interviews.quizzes import Outcome, Submission, Verdict, card_snapshot
from interviews.review import Prefs, next_state, store_review
from interviews.rows import insert
from interviews.scheduling import rating_for_answer


class Changed(Exception):
    """Something the answer was computed from changed before its transaction wrote it."""


def record_first_answer(
    *, item: QuizQuestion, submission: Submission, verdict: Verdict, now, prefs: Prefs
) -> Outcome | None:
    """Store the first, final answer to a practice, review or interview question, or return None
    having written nothing (anything else, or anything changed since `item` was read)."""
    quiz, question = item.quiz, item.question
    if (
        quiz.is_exam
        or not quiz.is_open
        or item.skipped
        or getattr(item, "answer", None) is not None
        or question.status != Question.Status.PUBLISHED
        or verdict.is_correct is None
        or verdict.question_version != question.version
    ):
        return None
    rating = rating_for_answer(
        kind=question.kind,
        is_correct=verdict.is_correct,
        time_taken_ms=submission.time_taken_ms,
        confidence=submission.confidence,
    )
    card = item.learner_card
    new = next_state(card, rating, now=now, prefs=prefs, duration_ms=submission.time_taken_ms) if card else None
    answer = Answer(
        quiz=quiz,
        item=item,
        question=question,
        user_id=quiz.user_id,
        answered_at=now,
        local_day=now.astimezone(ZoneInfo(prefs.time_zone)).date(),
        question_version=question.version,
        selected_choice_ids=sorted(submission.choice_ids),
        text=submission.text,
        is_correct=verdict.is_correct,
        time_taken_ms=submission.time_taken_ms,
        confidence=submission.confidence,
        updated_at=now,
        review_rating=int(rating),
        card_before=card_snapshot(card),
    )
    try:
        with transaction.atomic():
            if card is None:  # the first time this learner meets the question: FSRS needs the card's id
                card = ReviewCard(user_id=quiz.user_id, question_id=question.pk, due=now, created_at=now)
                if not insert(card, conflict_fields=["user_id", "question_id"]):
                    raise Changed("The card was created meanwhile.")
                new = next_state(card, rating, now=now, prefs=prefs, duration_ms=submission.time_taken_ms)
            if not store_review(card, new, rating, now=now):
                raise Changed("The card was reviewed meanwhile.")
            answer.review_due = new.due
            insert(answer)  # IntegrityError if this question was answered meanwhile
            note_answer(answer, now=now)
            _count(quiz, correct=verdict.is_correct, now=now)
    except (Changed, IntegrityError):
        return None
    item.answer = answer
    return Outcome(answer, item, quiz)


COUNT = """
UPDATE interviews_quiz SET answered_count = answered_count + 1, correct_count = correct_count + %s
WHERE id = %s AND status = %s
RETURNING answered_count, correct_count, skipped_count
"""


def _count(quiz: Quiz, *, correct: bool, now):
    """One more final answer in the quiz, as the database has it; the last one finishes the quiz."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT, [int(correct), quiz.pk, Quiz.Status.IN_PROGRESS])
        counts = cursor.fetchone()
    if counts is None:
        raise Changed("The quiz was finished or abandoned meanwhile.")
    quiz.answered_count, quiz.correct_count, quiz.skipped_count = counts
    if quiz.answered_count + quiz.skipped_count >= quiz.size:
        quiz.finish(now=now)
