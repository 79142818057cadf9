"""The first answer's transaction only writes: whatever changed since the answer was read makes it
write nothing at all, and the locked path then decides (replays, rereads the card, or refuses)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.first_answers import record_first_answer
from interviews.hot_reads import answer_item
from interviews.models import Answer, JournalEntry, Question, Quiz, ReviewCard
from interviews.quizzes import Submission, create_quiz, grade_submission
from interviews.review import Prefs
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(learner):
    topic = make_topic()
    for _ in range(3):
        make_question(topic)
    return create_quiz(
        user=learner, questions=Question.objects.all(), mode="practice", size=3, title="Q", now=timezone.now()
    )


def prepared(learner, quiz, *, correct=False):
    """What the view has before the transaction: the item as read, a graded submission."""
    item = answer_item(learner, quiz.pk, quiz.items.first().question_id)
    choice = next(c for c in item.question.choices.all() if c.is_correct == correct)
    submission = Submission(choice_ids=[choice.pk])
    return item, submission, grade_submission(item.question, submission)


def learnt_card(learner, question):
    """A card reviewed twice, last three days ago, due now."""
    return ReviewCard.objects.create(
        user=learner,
        question=question,
        due=timezone.now(),
        reps=2,
        state=2,
        stability=3.0,
        difficulty=5.0,
        last_review=timezone.now() - timedelta(days=3),
    )


def written(learner):
    return (
        Answer.objects.filter(user=learner).count(),
        list(ReviewCard.objects.filter(user=learner).values_list("reps", "due")),
        JournalEntry.objects.filter(user=learner).count(),
        list(Quiz.objects.filter(user=learner).values_list("answered_count", "correct_count", "status")),
    )


def test_a_first_answer_is_stored_with_its_review(learner, quiz):
    item, submission, verdict = prepared(learner, quiz)
    outcome = record_first_answer(item=item, submission=submission, verdict=verdict, now=timezone.now(), prefs=Prefs())
    card = ReviewCard.objects.get(user=learner, question=item.question)
    assert outcome.answer.pk and outcome.answer.is_correct is False and outcome.answer.review_due == card.due
    assert card.reps == 1 and JournalEntry.objects.filter(user=learner).count() == 1
    assert Quiz.objects.get(pk=quiz.pk).answered_count == 1


def another_tab_answered(learner, quiz, item):
    other = prepared(learner, quiz, correct=True)
    record_first_answer(item=other[0], submission=other[1], verdict=other[2], now=timezone.now(), prefs=Prefs())


def another_quiz_reviewed_the_card(learner, quiz, item):
    ReviewCard.objects.filter(user=learner, question=item.question).update(reps=3)


def the_question_was_bookmarked(learner, quiz, item):
    ReviewCard.objects.create(user=learner, question=item.question, due=timezone.now())


def the_quiz_was_abandoned(learner, quiz, item):
    Quiz.objects.filter(pk=quiz.pk).update(status=Quiz.Status.ABANDONED)


@pytest.mark.parametrize(
    "meanwhile, card_before",
    [
        (another_tab_answered, False),
        (another_quiz_reviewed_the_card, True),
        (the_question_was_bookmarked, False),
        (the_quiz_was_abandoned, False),  # the card's review and the answer are rolled back with it
    ],
)
def test_a_change_since_the_read_makes_it_write_nothing(learner, quiz, meanwhile, card_before):
    if card_before:
        learnt_card(learner, quiz.items.first().question)
    item, submission, verdict = prepared(learner, quiz)
    meanwhile(learner, quiz, item)
    before = written(learner)
    outcome = record_first_answer(item=item, submission=submission, verdict=verdict, now=timezone.now(), prefs=Prefs())
    assert outcome is None
    assert written(learner) == before


def test_through_the_page_the_locked_path_then_decides(learner, learner_client, quiz):
    """A card reviewed in another quiz between the read and the write: the answer is still stored
    once, on the card as it is now."""
    question = quiz.items.first().question
    card = learnt_card(learner, question)
    import interviews.views.quiz as quiz_views

    real = quiz_views.answer_item

    def read_then_review_elsewhere(*args, **kwargs):
        item = real(*args, **kwargs)
        ReviewCard.objects.filter(pk=card.pk).update(reps=5)
        return item

    quiz_views.answer_item = read_then_review_elsewhere
    try:
        choice = question.choices.get(is_correct=True)
        response = learner_client.post(
            reverse("interviews:quiz-detail", args=[quiz.pk]),
            {"action": "answer", "question": question.pk, "choice": choice.pk},
        )
    finally:
        quiz_views.answer_item = real
    assert response.status_code == 302
    assert Answer.objects.filter(user=learner, question=question).count() == 1
    assert ReviewCard.objects.get(pk=card.pk).reps == 6


def test_a_session_from_before_the_learner_backend_still_works(learner):
    client = Client()
    client.force_login(learner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("interviews:dashboard")).status_code == 200


def test_an_expired_session_signs_nobody_in(learner, learner_client):
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # with Redis the session is cached too, and leaves the cache at the same moment
    assert learner_client.get(reverse("interviews:dashboard")).status_code == 302


def test_a_wrong_password_is_checked_once(learner, client, monkeypatch):
    from django.contrib.auth import hashers

    checks = []
    real = hashers.check_password
    monkeypatch.setattr(
        "django.contrib.auth.base_user.check_password", lambda *a, **k: checks.append(1) or real(*a, **k)
    )
    response = client.post(reverse("login"), {"username": learner.username, "password": "not-the-password"})
    assert response.status_code in (200, 422) and "_auth_user_id" not in client.session
    assert len(checks) == 1
    assert get_user_model().objects.filter(pk=learner.pk).exists()
