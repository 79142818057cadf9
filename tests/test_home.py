"""/: returning learners see their day first; one wording for what is due, with why new ones wait."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Bookmark, Quiz, QuizQuestion, ReviewCard
from tests.factories import bulk_questions, make_question

pytestmark = pytest.mark.django_db
HOME = reverse("interviews:home")
REVIEW = reverse("interviews:review")


def answered_on(user, question, day):
    quiz = Quiz.objects.create(user=user, title="Old quiz", mode="practice", status="finished", size=1)
    item = QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    Answer.objects.create(
        quiz=quiz, item=item, question=question, user=user, question_version=1, is_correct=True, local_day=day
    )


def test_signed_in_home_starts_with_due_unfinished_and_streak(learner_client, learner):
    questions = [make_question() for _ in range(3)]
    today = timezone.now().date()
    for days_ago in (0, 1, 2):
        answered_on(learner, questions[days_ago], today - timedelta(days=days_ago))
    Quiz.objects.create(user=learner, title="Half-done quiz", mode="practice", size=5, answered_count=2)
    ReviewCard.objects.create(user=learner, question=questions[0], reps=1, due=timezone.now())
    page = learner_client.get(HOME).content.decode()
    due, unfinished, streak = page.index("Due today"), page.index("Half-done quiz"), page.index("3 days")
    assert due < unfinished < streak < page.index("What is here") < page.index("Topics")
    assert "in a row" in page and "Get ready for your machine-learning interview" not in page


def test_streak_invites_a_first_answer(learner_client):
    assert "Answer one question today to start a streak." in learner_client.get(HOME).content.decode()


def test_anonymous_home_still_explains_the_site(client):
    page = client.get(HOME).content.decode()
    assert "Get ready for your machine-learning interview" in page and "Create a free account" in page
    assert "Due today" not in page


def new_cards(user, count):
    for question in [make_question() for _ in range(count)]:
        Bookmark.objects.create(user=user, question=question)
        ReviewCard.objects.create(user=user, question=question, due=timezone.now())


def test_home_and_review_say_the_same_and_why_new_questions_wait(learner_client, learner):
    new_cards(learner, 5)
    # Three questions answered for the first time in a quiz today used the allowance.
    for question in [make_question() for _ in range(3)]:
        ReviewCard.objects.create(user=learner, question=question, reps=1, first_reviewed_at=timezone.now(),
                                  due=timezone.now() + timedelta(days=3))  # fmt: skip
    session = learner_client.session
    session["review_prefs"] = {"time_zone": "UTC", "desired_retention": 0.9, "new_per_day": 3}
    session.save()
    expected = (
        "Nothing is due right now.\n  5 more new questions wait for another day: the allowance is 3 new questions "
        "a day, and 3 were already started today by first answers in quizzes or reviews."
    )
    assert expected in learner_client.get(HOME).content.decode()
    assert expected in learner_client.get(REVIEW).content.decode()


def test_part_of_the_allowance_left(learner_client, learner):
    new_cards(learner, 12)
    page = learner_client.get(REVIEW).content.decode()
    assert "<strong>0</strong> questions due for review and <strong>10</strong> new questions to start today." in page
    assert "2 more new questions wait for another day: the allowance is 10 new questions a day." in page


@pytest.mark.parametrize("extra", [0, 500])
def test_home_query_count_is_fixed(learner_client, learner, django_assert_max_num_queries, extra):
    bulk_questions(extra + 3)
    new_cards(learner, 2)
    Quiz.objects.create(user=learner, title="Open", mode="practice", size=5)
    with django_assert_max_num_queries(9):
        assert learner_client.get(HOME).status_code == 200
