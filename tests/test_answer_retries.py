"""Retried and racing answers: every retry replays the stored answer, and a losing tab is told so."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Question, Quiz
from interviews.quizzes import create_quiz, pool_for_mode
from interviews.views.quiz import SUPERSEDED
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
NOT_RECORDED = "Your answer was not recorded"


@pytest.fixture
def bank(db):
    topic = make_topic("pytorch-core", "PyTorch core")
    return [make_question(topic, kind=kind) for kind in ["single", "short", "open"] * 3]


def start(user, kind, size=5):
    pool = pool_for_mode(Question.objects.published(), "interview" if kind == "open" else "practice", [kind])
    return create_quiz(user=user, questions=pool, mode="practice", size=size, title="Retry quiz", now=timezone.now())


def post_answer(client, quiz, question, data, **headers):
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    return client.post(url, {"action": "answer", "question": question.pk, **data}, headers=headers)


def choice(question, correct):
    return {"choice": next(c.pk for c in question.choices.all() if c.is_correct == correct)}


def answer_all_but_last(client, quiz):
    items = list(quiz.items.select_related("question"))
    for item in items[:-1]:
        post_answer(client, quiz, item.question, choice(item.question, True))
    return items[-1].question


def test_retried_last_answer_replays_its_feedback_with_htmx(htmx_client, learner, bank):
    quiz = start(learner, "single", size=3)
    last = answer_all_but_last(htmx_client, quiz)
    first = post_answer(htmx_client, quiz, last, choice(last, True))
    retry = post_answer(htmx_client, quiz, last, choice(last, True))
    assert first.status_code == retry.status_code == 200
    page = retry.content.decode()
    assert "✓ Correct" in page and "See your results" in page
    assert NOT_RECORDED not in page and "This quiz is finished" not in page
    assert Answer.objects.filter(quiz=quiz).count() == 3


def test_retried_last_answer_replays_its_feedback_without_javascript(learner_client, learner, bank):
    quiz = start(learner, "single", size=3)
    last = answer_all_but_last(learner_client, quiz)
    first = post_answer(learner_client, quiz, last, choice(last, True))
    retry = post_answer(learner_client, quiz, last, choice(last, True))
    assert retry.status_code == 302 and retry["Location"] == first["Location"]
    page = learner_client.get(retry["Location"]).content.decode()
    assert "✓ Correct" in page and "This quiz is finished" not in page and NOT_RECORDED not in page


def test_retried_last_open_answer_replays_the_rating(htmx_client, learner, bank):
    quiz = start(learner, "open", size=3)
    items = list(quiz.items.select_related("question"))
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    for item in items:
        post_answer(htmx_client, quiz, item.question, {"text": "my answer"})
        htmx_client.post(url, {"action": "rate", "question": item.question.pk, "rating": "good"})
    quiz.refresh_from_db()
    assert quiz.status == Quiz.Status.FINISHED
    retry = post_answer(htmx_client, quiz, items[-1].question, {"text": "my answer"})
    assert retry.status_code == 200 and "You rated yourself: Good" in retry.content.decode()


def test_a_different_second_submit_is_told_it_was_not_recorded(htmx_client, learner_client, learner, bank):
    quiz = start(learner, "single", size=3)
    question = quiz.items.first().question
    post_answer(htmx_client, quiz, question, choice(question, True))
    htmx = post_answer(htmx_client, quiz, question, choice(question, False)).content.decode()
    assert SUPERSEDED in htmx and "✓ Correct" in htmx
    plain = post_answer(learner_client, quiz, question, choice(question, False))
    assert SUPERSEDED in learner_client.get(plain["Location"]).content.decode()
    assert Answer.objects.get(quiz=quiz).selected_choice_ids == [choice(question, True)["choice"]]


def test_a_different_typed_retry_is_told_it_was_not_recorded(htmx_client, learner, bank):
    quiz = start(learner, "short", size=3)
    question = quiz.items.first().question
    post_answer(htmx_client, quiz, question, {"text": "backward"})
    same = post_answer(htmx_client, quiz, question, {"text": "backward"}).content.decode()
    other = post_answer(htmx_client, quiz, question, {"text": "forward"}).content.decode()
    assert NOT_RECORDED not in same and NOT_RECORDED in other
    assert Answer.objects.get(quiz=quiz).text == "backward"


@pytest.mark.django_db(transaction=True)
def test_the_losing_tab_of_a_race_is_told_its_answer_was_not_recorded(learner, bank):
    quiz = start(learner, "single", size=3)
    question = quiz.items.first().question
    barrier = threading.Barrier(2)
    pages = {}

    def submit(correct):
        client = Client(headers={"HX-Request": "true"})
        client.force_login(learner)
        barrier.wait(timeout=10)
        pages[correct] = post_answer(client, quiz, question, choice(question, correct)).content.decode()
        connection.close()

    threads = [threading.Thread(target=submit, args=(correct,)) for correct in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stored = Answer.objects.get(quiz=quiz)
    winner = stored.is_correct
    assert NOT_RECORDED not in pages[winner]
    assert NOT_RECORDED in pages[not winner]
