"""Quiz workflows that span models: drawing a quiz, recording answers exactly once, finishing."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import FilteredRelation, OuterRef, Q, Subquery, prefetch_related_objects

from interviews import scheduling
from interviews.chains import stop_drill_down
from interviews.grading import grade_choices, grade_output, grade_short
from interviews.journal import forget_miss, note_answer
from interviews.models import Answer, Question, Quiz, QuizQuestion, ReviewCard
from interviews.review import Prefs, planned, reschedule
from interviews.scheduling import rating_for_answer

AUTO_GRADED_KINDS = ["single", "multiple", "true_false", "short", "output"]
CHOICE_KINDS = {"single", "multiple", "true_false"}
TYPED_KINDS = {"short", "output"}
GOOD_RATINGS = {Answer.Rating.GOOD, Answer.Rating.EASY}
RETRY_PREFIX = "Retry: "
WITHDRAWN_REASON = (
    "A curator withdrew it because it was found to be wrong or unclear; it does not count towards your score."
)
WITHDRAWN = f"This question was skipped. {WITHDRAWN_REASON}"
# A quiz question still to answer: no answer yet, or an open question revealed but not yet rated.
NOT_FINAL = Q(answer__isnull=True) | Q(answer__is_correct__isnull=True)


class EmptyPool(Exception):
    """No published question matches what the learner asked for."""


@dataclass
class Submission:
    """What the learner sent for one question, already parsed and validated by a form."""

    choice_ids: list[int]
    text: str = ""
    time_taken_ms: int = 0
    confidence: int | None = None


@dataclass(frozen=True)
class Verdict:
    """A submission graded against one version of its question."""

    is_correct: bool | None
    question_version: int


@dataclass
class Outcome:
    answer: Answer | None
    item: QuizQuestion
    quiz: Quiz
    refused: str = ""
    replayed: bool = False
    # A replay whose submission differs from the stored answer: another tab (or an earlier click) won.
    superseded: bool = False


def pool_for_mode(questions, mode: str, kinds: list[str] | None = None):
    """Interview mode asks open questions; an exam only what can be graded; practice either."""
    if mode == Quiz.Mode.INTERVIEW:
        return questions.filter(kind=Question.Kind.OPEN)
    if mode == Quiz.Mode.EXAM:
        return questions.filter(kind__in=[k for k in (kinds or AUTO_GRADED_KINDS) if k in AUTO_GRADED_KINDS])
    return questions.filter(kind__in=kinds or AUTO_GRADED_KINDS)


def missed_questions(user):
    """Questions whose latest final answer by `user` was wrong (or self-rated Again/Hard)."""
    latest = (
        Answer.objects.filter(user=user, question=OuterRef("pk"), is_correct__isnull=False)
        .order_by("-answered_at", "-id")
        .values("is_correct")[:1]
    )
    return Question.objects.published().annotate(last_correct=Subquery(latest)).filter(last_correct=False)


def retry_title(title: str) -> str:
    """ "Retry: <the original title>", however many retries deep, within the title column."""
    original = title.removeprefix(RETRY_PREFIX)
    while original.startswith(RETRY_PREFIX):
        original = original.removeprefix(RETRY_PREFIX)
    return f"{RETRY_PREFIX}{original}"[: Quiz._meta.get_field("title").max_length]


def create_quiz(
    *,
    user,
    questions,
    mode: str,
    size: int,
    title: str,
    now,
    time_limit_seconds: int | None = None,
    per_question_seconds: int | None = None,
    source: Quiz | None = None,
    rng: random.Random | None = None,
) -> Quiz:
    """Draw up to `size` distinct questions at random and store them, so a reload never reshuffles."""
    ids = list(questions.values_list("id", flat=True).distinct())
    if not ids:
        raise EmptyPool("No published questions match these choices. Try more topics, kinds or difficulties.")
    drawn = (rng or random.SystemRandom()).sample(ids, min(size, len(ids)))
    with transaction.atomic():
        quiz = Quiz.objects.create(
            user=user,
            title=title,
            mode=mode,
            size=len(drawn),
            created_at=now,
            time_limit_seconds=time_limit_seconds if mode == Quiz.Mode.EXAM else None,
            deadline=now + timedelta(seconds=time_limit_seconds)
            if mode == Quiz.Mode.EXAM and time_limit_seconds
            else None,
            per_question_seconds=per_question_seconds if mode == Quiz.Mode.INTERVIEW else None,
            source=source,
        )
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question_id=question_id, position=position)
            for position, question_id in enumerate(drawn, 1)
        )
    return quiz


def locked_item(user, quiz_id: int, question_id: int, *, graded: Question | None = None) -> QuizQuestion:
    """One question of the learner's quiz for answering, with the quiz, the question, the stored
    answer and the learner's review card. Raises QuizQuestion.DoesNotExist.

    Concurrent answers to one quiz run one after the other. SQLite's `BEGIN IMMEDIATE` already
    serialises writers before this read. PostgreSQL locks the quiz row first, in its own
    statement: under READ COMMITTED a row locked and read in the same statement would come back
    with the answer as it was before the wait, and a second tab would insert a duplicate.

    `graded` is the question as answer_item() read it: while its version is still current, its
    grading key is reused rather than read again inside the lock.
    """
    if connection.features.has_select_for_update:
        list(Quiz.objects.select_for_update().filter(pk=quiz_id, user=user).values_list("pk"))
    item = (
        QuizQuestion.objects.annotate(
            learner_card=FilteredRelation("question__review_cards", condition=Q(question__review_cards__user=user))
        )
        .select_related("quiz", "question__topic", "answer", "learner_card")
        .get(quiz_id=quiz_id, quiz__user=user, question_id=question_id)
    )
    question = item.question
    if graded is not None and (graded.pk, graded.version, graded.status) == (
        question.pk,
        question.version,
        question.status,
    ):
        item.question = graded
    else:
        load_grading_key([item.question])
    return item


def load_grading_key(questions):
    """Prefetch choices for choice questions and accepted answers for typed ones."""
    questions = list(questions)
    with_choices = [q for q in questions if q.kind in CHOICE_KINDS]
    typed = [q for q in questions if q.kind in TYPED_KINDS]
    if with_choices:
        prefetch_related_objects(with_choices, "choices")
    if typed:
        prefetch_related_objects(typed, "accepted_answers")


def grade(question: Question, submission: Submission) -> bool | None:
    """The verdict on one submission (None for an open question, graded by the learner's rating)."""
    if question.kind == Question.Kind.OPEN:
        return None
    if question.kind in TYPED_KINDS:
        accepted = [a.text for a in question.accepted_answers.all()]
        if question.kind == Question.Kind.OUTPUT:
            return grade_output(submission.text, accepted)
        return grade_short(submission.text, accepted, question.answer_regex, strict_names=question.strict_names)
    correct_ids = [c.pk for c in question.choices.all() if c.is_correct]
    return grade_choices(question.kind, correct_ids, submission.choice_ids)


def grade_submission(question: Question, submission: Submission) -> Verdict:
    return Verdict(grade(question, submission), question.version)


def record_answer(
    *, quiz: Quiz, item: QuizQuestion, submission: Submission, now, prefs: Prefs, verdict: Verdict | None = None
) -> Outcome:
    """Store one answer, once. Call inside transaction.atomic() with `item` from locked_item().

    Practice and interview: the first answer is final; a repeat returns the stored one.
    Exam: a changed answer replaces the stored one until the exam is submitted.
    `verdict` is the grade given before the transaction opened; it is used while the question is
    still at the version it was graded against, otherwise the answer is graded again here.
    """
    question = item.question
    existing = getattr(item, "answer", None)
    # Checked before the quiz's status: a retry of the answer that finished the quiz replays it too.
    if existing is not None and not quiz.is_exam:
        return Outcome(existing, item, quiz, replayed=True, superseded=not _same(existing, submission))
    if not quiz.is_open:
        return Outcome(None, item, quiz, refused="This quiz is finished, so answers can no longer be added or changed.")
    if quiz.is_past_deadline(now):
        submit_exam(quiz=quiz, now=now, prefs=prefs)
        return Outcome(None, item, quiz, refused="Time is up: the exam was submitted at its time limit.")
    if question.status != Question.Status.PUBLISHED:
        return _withdrawn(quiz, item, now)

    if verdict is not None and verdict.question_version == question.version:
        is_correct = verdict.is_correct
    else:
        is_correct = grade(question, submission)
    fields = {
        "question_version": question.version,
        "selected_choice_ids": sorted(submission.choice_ids),
        "text": submission.text,
        "is_correct": is_correct,
        "time_taken_ms": submission.time_taken_ms,
        "confidence": submission.confidence,
        "updated_at": now,
    }
    if is_correct is not None and not quiz.is_exam:  # exams are rescheduled when submitted
        rating = rating_for_answer(
            kind=question.kind,
            is_correct=is_correct,
            time_taken_ms=submission.time_taken_ms,
            confidence=submission.confidence,
        )
        fields |= _review(quiz, item, rating, now, prefs, submission.time_taken_ms)
    if existing is None:
        answer = Answer.objects.create(
            quiz=quiz,
            item=item,
            question=question,
            user_id=quiz.user_id,
            answered_at=now,
            local_day=now.astimezone(ZoneInfo(prefs.time_zone)).date(),
            **fields,
        )
        item.answer = answer
        answered_delta = 1 if is_correct is not None else 0
        correct_delta = 1 if is_correct else 0
    else:  # an exam answer changed before submission
        correct_delta = int(bool(is_correct)) - int(bool(existing.is_correct))
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save(update_fields=list(fields))
        answer, answered_delta = existing, 0
    if is_correct is not None and not quiz.is_exam:
        note_answer(answer, now=now)
    _count(quiz, answered_delta, correct_delta, now)
    return Outcome(answer, item, quiz)


def _same(answer: Answer, submission: Submission) -> bool:
    return sorted(answer.selected_choice_ids) == sorted(submission.choice_ids) and answer.text == submission.text


def _review(quiz, item, rating, now, prefs, duration_ms) -> dict:
    """Reschedule the learner's card; return the answer's review-log fields."""
    card = getattr(item, "learner_card", None)
    new = reschedule(
        user_id=quiz.user_id,
        question_id=item.question_id,
        card=card,
        rating=rating,
        now=now,
        prefs=prefs,
        duration_ms=duration_ms,
    )
    return {"review_rating": int(rating), "review_due": new.due, "card_before": card_snapshot(card)}


def card_snapshot(card: ReviewCard | None) -> dict | None:
    if card is None or card.pk is None:
        return None
    return {
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due.isoformat(),
        "last_review": card.last_review.isoformat() if card.last_review else None,
    }


def _restored(snapshot: dict | None, reviewed_at) -> scheduling.CardState:
    if snapshot is None:
        return scheduling.new_card_state(reviewed_at)
    last_review = snapshot["last_review"]
    return scheduling.CardState(
        snapshot["state"],
        snapshot["step"],
        snapshot["stability"],
        snapshot["difficulty"],
        datetime.fromisoformat(snapshot["due"]),
        datetime.fromisoformat(last_review) if last_review else None,
    )


OVERRIDE_REFUSALS = {
    "kind": "Only typed answers can be claimed right; choices are graded exactly.",
    "unanswered": "Answer the question before you claim your answer was right.",
    "exam": "Submit the exam first; then you can claim a typed answer was right.",
}


def override_answer(*, quiz: Quiz, item: QuizQuestion, now, prefs: Prefs) -> Outcome:
    """Regrade a typed answer marked wrong as correct ("I was right"), and replay its review.

    The card is rescheduled as if the answer had been graded right when it was reviewed, from the
    state stored before that review, provided no later review has moved the card since.
    Call inside transaction.atomic() with `item` from locked_item().
    """
    answer = getattr(item, "answer", None)
    refusal = ""
    if item.question.kind not in TYPED_KINDS:
        refusal = OVERRIDE_REFUSALS["kind"]
    elif answer is None or answer.is_correct is None:
        refusal = OVERRIDE_REFUSALS["unanswered"]
    elif answer.is_correct:
        return Outcome(answer, item, quiz, replayed=True)
    elif quiz.is_exam and quiz.is_open:
        refusal = OVERRIDE_REFUSALS["exam"]
    if refusal:
        return Outcome(answer, item, quiz, refused=refusal)
    answer.is_correct = True
    answer.overridden = True
    answer.updated_at = now
    fields = ["is_correct", "overridden", "updated_at"]
    card = getattr(item, "learner_card", None)
    if answer.review_rating is not None and card is not None and card.due == answer.review_due:
        reviewed_at = card.last_review or answer.answered_at
        rating = rating_for_answer(
            kind=item.question.kind, is_correct=True, time_taken_ms=answer.time_taken_ms, confidence=answer.confidence
        )
        new, _log = scheduling.review(
            card.pk,
            _restored(answer.card_before, reviewed_at),
            rating,
            now=reviewed_at,
            desired_retention=prefs.desired_retention,
            duration_ms=answer.time_taken_ms,
        )
        new = planned(new, card_id=card.pk, now=reviewed_at, prefs=prefs)
        before = _restored(answer.card_before, reviewed_at)
        lapsed = scheduling.is_lapse(before.state, answer.review_rating)  # the miss was no lapse after all
        ReviewCard.objects.filter(pk=card.pk).update(
            state=new.state,
            step=new.step,
            stability=new.stability,
            difficulty=new.difficulty,
            due=new.due,
            lapses=max(0, card.lapses - lapsed),
        )
        answer.review_rating, answer.review_due = int(rating), new.due
        fields += ["review_rating", "review_due"]
    answer.save(update_fields=fields)
    forget_miss(answer)
    quiz.correct_count += 1
    quiz_fields = ["correct_count"]
    if not quiz.is_open:
        quiz.score_percent = quiz.score()
        quiz_fields.append("score_percent")
    quiz.save(update_fields=quiz_fields)
    return Outcome(answer, item, quiz)


def rate_answer(
    *, quiz: Quiz, item: QuizQuestion, rating: str, covered_points: list[int], now, prefs: Prefs
) -> Outcome:
    """The learner rates their own answer to an open question; the first rating is final."""
    answer = getattr(item, "answer", None)
    if not quiz.is_open:
        return Outcome(answer, item, quiz, refused="This quiz is finished, so answers can no longer be changed.")
    if answer is None:
        return Outcome(None, item, quiz, refused="Reveal the model answer before you rate yourself.")
    if answer.self_rating:
        return Outcome(answer, item, quiz, replayed=True)
    if item.question.status != Question.Status.PUBLISHED:
        return _withdrawn(quiz, item, now)
    answer.self_rating = rating
    answer.covered_points = sorted(set(covered_points))
    answer.is_correct = rating in GOOD_RATINGS
    answer.updated_at = now
    review_rating = rating_for_answer(
        kind="open", is_correct=answer.is_correct, time_taken_ms=0, self_rating=rating, confidence=answer.confidence
    )
    for name, value in _review(quiz, item, review_rating, now, prefs, answer.time_taken_ms).items():
        setattr(answer, name, value)
    answer.save(
        update_fields=[
            "self_rating",
            "covered_points",
            "is_correct",
            "updated_at",
            "review_rating",
            "review_due",
            "card_before",
        ]
    )
    note_answer(answer, now=now)
    if not answer.is_correct:
        stop_drill_down(quiz, item)
    _count(quiz, 1, 1 if answer.is_correct else 0, now)
    return Outcome(answer, item, quiz)


def skip_withdrawn(*, quiz: Quiz, now) -> list[int]:
    """Skip every question of the quiz that a curator withdrew (archived or sent back to draft)
    before the learner gave it a final answer: it is not asked and not counted, and the quiz can
    still be finished. Call inside transaction.atomic() with `quiz` locked; returns the positions."""
    items = quiz.items.filter(NOT_FINAL, skipped=False).exclude(question__status=Question.Status.PUBLISHED)
    positions = sorted(items.values_list("position", flat=True))
    if positions:
        quiz.items.filter(position__in=positions).update(skipped=True)
        _skip(quiz, len(positions), now)
    return positions


def _withdrawn(quiz: Quiz, item: QuizQuestion, now) -> Outcome:
    """Refuse an answer to a question withdrawn since the quiz was drawn, and skip it."""
    if item.skipped:
        return Outcome(None, item, quiz, refused=WITHDRAWN)
    if getattr(item, "answer", None) is not None and item.answer.is_final:
        return Outcome(item.answer, item, quiz, refused=WITHDRAWN)  # an exam answer stands as given
    QuizQuestion.objects.filter(pk=item.pk).update(skipped=True)
    item.skipped = True
    _skip(quiz, 1, now)
    return Outcome(None, item, quiz, refused=WITHDRAWN)


def _skip(quiz: Quiz, count: int, now):
    quiz.skipped_count += count
    fields = ["skipped_count"]
    if not quiz.is_exam and quiz.answered_count + quiz.skipped_count >= quiz.size:
        quiz.finish(now=now, save=False)
        fields += ["status", "finished_at", "score_percent"]
    quiz.save(update_fields=fields)


def _count(quiz: Quiz, answered_delta: int, correct_delta: int, now):
    """Update the quiz's progress in one statement; the row is locked, so plain arithmetic is safe."""
    if not (answered_delta or correct_delta):
        return
    quiz.answered_count += answered_delta
    quiz.correct_count += correct_delta
    fields = ["answered_count", "correct_count"]
    # Practice and interview quizzes end with their last final answer; an exam ends when submitted.
    if not quiz.is_exam and quiz.answered_count + quiz.skipped_count >= quiz.size:
        quiz.finish(now=now, save=False)
        fields += ["status", "finished_at", "score_percent"]
    quiz.save(update_fields=fields)


def submit_exam(*, quiz: Quiz, now, prefs: Prefs):
    """Finish an exam and reschedule the review card of every answered question."""
    skip_withdrawn(quiz=quiz, now=now)
    quiz.finish(now=now)
    answers = (
        quiz.answers.select_related("item")
        .annotate(
            learner_card=FilteredRelation(
                "question__review_cards", condition=Q(question__review_cards__user=quiz.user_id)
            )
        )
        .select_related("question", "learner_card")
    )
    for answer in answers:
        answer.item.learner_card = getattr(answer, "learner_card", None)
        rating = rating_for_answer(
            kind=answer.question.kind,
            is_correct=bool(answer.is_correct),
            time_taken_ms=answer.time_taken_ms,
            confidence=answer.confidence,
        )
        for name, value in _review(quiz, answer.item, rating, now, prefs, answer.time_taken_ms).items():
            setattr(answer, name, value)
        answer.save(update_fields=["review_rating", "review_due", "card_before"])
        note_answer(answer, now=now)


def set_flag(*, item: QuizQuestion, flagged: bool):
    QuizQuestion.objects.filter(pk=item.pk).update(flagged=flagged)
    item.flagged = flagged
