"""/review/ offers review ahead, the learnt questions due soonest, when nothing is due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Quiz, ReviewCard
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
REVIEW = reverse("interviews:review")


def learnt(user, days, **extra):
    return ReviewCard.objects.create(user=user, question=make_question(make_topic()), state=2, stability=10.0,
                                     difficulty=5.0, reps=3, due=timezone.now() + timedelta(days=days),
                                     last_review=timezone.now() - timedelta(days=2), **extra)  # fmt: skip


def test_nothing_due_offers_review_ahead_of_the_soonest(learner_client, learner, other_learner):
    cards = [learnt(learner, days) for days in (9, 2, 5)]
    learnt(learner, 1, suspended=True)
    learnt(other_learner, 1)
    page = learner_client.get(REVIEW).content.decode()
    assert "Nothing is due right now." in page
    assert "Review ahead: the 3 questions due soonest" in page
    response = learner_client.post(REVIEW, {"ahead": "1"})
    quiz = Quiz.objects.get(user=learner)
    assert response["Location"] == quiz.get_absolute_url() and quiz.title.startswith("Review ahead of")
    assert list(quiz.items.order_by("question_id").values_list("question_id", flat=True)) == sorted(
        c.question_id for c in cards
    )


def test_review_ahead_takes_at_most_twenty(learner_client, learner):
    for days in range(1, 30):
        learnt(learner, days)
    assert "Review ahead: the 20 questions due soonest" in learner_client.get(REVIEW).content.decode()
    learner_client.post(REVIEW, {"ahead": "1"})
    quiz = Quiz.objects.get(user=learner)
    assert quiz.size == 20
    soonest = ReviewCard.objects.filter(user=learner).order_by("due").values_list("question_id", flat=True)[:20]
    assert set(quiz.items.values_list("question_id", flat=True)) == set(soonest)


def test_no_review_ahead_without_learnt_questions(learner_client):
    page = learner_client.get(REVIEW).content.decode()
    assert "Nothing is due right now." in page and "Review ahead" not in page
    assert learner_client.post(REVIEW, {"ahead": "1"}).status_code == 302
    assert not Quiz.objects.exists()


@pytest.mark.parametrize("cards", [2, 60])
def test_review_page_with_review_ahead_costs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_max_num_queries, cards
):
    for days in range(1, cards + 1):
        learnt(learner, days)
    # session, user, unfinished review, due count, next due and learnt cards, the navigation's due count
    with django_assert_max_num_queries(6):
        assert "Review ahead" in learner_client.get(REVIEW).content.decode()
