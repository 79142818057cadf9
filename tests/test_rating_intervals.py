"""The Again/Hard/Good/Easy buttons say when the question comes back."""

from datetime import timedelta

import fsrs
import pytest
from django.utils import timezone

from interviews import scheduling
from interviews.models import Question, ReviewCard
from interviews.quizzes import create_quiz
from interviews.views.quiz_aids import interval_words
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5, minutes=20), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=12, hours=3), "12 days"),
        (timedelta(days=75), "2 mo"),
        (timedelta(days=550), "1.5 yr"),
    ],
)
def test_interval_words(delta, words):
    assert interval_words(delta) == words


def test_next_due_times_grow_from_again_to_easy():
    now = timezone.now()
    learnt, _ = scheduling.review(1, scheduling.new_card_state(now), fsrs.Rating.Good, now=now, desired_retention=0.9)
    learnt, _ = scheduling.review(1, learnt, fsrs.Rating.Good, now=learnt.due, desired_retention=0.9)
    dues = scheduling.next_due_times(1, learnt, now=learnt.due, desired_retention=0.9)
    assert dues["again"] < dues["hard"] < dues["good"] < dues["easy"]


def rating_page(client, user, question, **answer):
    quiz = create_quiz(user=user, questions=Question.objects.filter(pk=question.pk), mode="interview", size=1,
                       title="Interview", now=timezone.now())  # fmt: skip
    client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "text": "", **answer})
    return client.get(quiz.get_absolute_url()).content.decode()


def buttons(page):
    return {
        name: page.split(f'value="{name}"')[1].split('<span class="interval">')[1].split("<")[0]
        for name in ("again", "hard", "good", "easy")
    }


def test_a_new_question_shows_its_first_intervals(learner_client, learner):
    page = rating_page(learner_client, learner, make_question(kind="open"))
    assert buttons(page) == {"again": "1 min", "hard": "6 min", "good": "10 min", "easy": "8 days"}
    assert "Each button says when the question comes back." in page


def test_a_learnt_question_shows_longer_intervals(learner_client, learner):
    question = make_question(kind="open")
    now = timezone.now()
    ReviewCard.objects.create(user=learner, question=question, state=2, step=None, stability=20.0, difficulty=5.0,
                              due=now, last_review=now - timedelta(days=20), reps=5)  # fmt: skip
    shown = buttons(rating_page(learner_client, learner, question))
    assert shown["again"] == "10 min"
    assert shown["good"].endswith(("days", "mo")) and shown["easy"].endswith(("days", "mo"))


def test_a_guess_shows_hard_on_good_and_easy(learner_client, learner):
    page = rating_page(learner_client, learner, make_question(kind="open"), confidence=1)
    shown = buttons(page)
    assert shown["good"] == shown["easy"] == shown["hard"]
    assert "You said you were guessing, so Good and Easy count as Hard." in page


@pytest.mark.parametrize("cards", [0, 30])
def test_the_rating_page_costs_a_fixed_number_of_queries(learner_client, learner, django_assert_max_num_queries, cards):
    question = make_question(kind="open")
    for _ in range(cards):
        ReviewCard.objects.create(user=learner, question=make_question(kind="open"), reps=2, due=timezone.now())
    quiz = create_quiz(user=learner, questions=Question.objects.filter(pk=question.pk), mode="interview", size=1,
                       title="Interview", now=timezone.now())  # fmt: skip
    learner_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "text": ""})
    with django_assert_max_num_queries(5):  # session, user, the current question, its card, the due count
        assert learner_client.get(quiz.get_absolute_url()).status_code == 200
