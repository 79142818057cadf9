"""Leeches: a card forgotten four times after it was learnt is flagged, shown, and may be suspended."""

from datetime import timedelta

import fsrs
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from interviews.models import Profile, Question, Quiz, ReviewCard
from interviews.quizzes import create_quiz
from interviews.review import Prefs, due_summary, session_questions
from interviews.scheduling import is_lapse
from tests.conftest import PASSWORD
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
LEECHES = reverse("interviews:leech-list")
DASHBOARD = reverse("interviews:dashboard")


@pytest.mark.parametrize(
    ("state", "rating", "lapse"),
    [
        (fsrs.State.Review, fsrs.Rating.Again, True),
        (fsrs.State.Learning, fsrs.Rating.Again, False),  # not learnt yet
        (fsrs.State.Relearning, fsrs.Rating.Again, False),  # already counted when it lapsed
        (fsrs.State.Review, fsrs.Rating.Hard, False),
    ],
)
def test_a_lapse_is_again_on_a_learnt_card(state, rating, lapse):
    assert is_lapse(state.value, rating) is lapse


# Time moves on: the learner keeps forgetting one question


def answer_at(client, user, question, moment, *, right, mode="practice"):
    """Answer `question` in a new quiz at `moment` (the server's clock travels too)."""
    with time_machine.travel(moment, tick=False):
        client.force_login(user)  # a session from months ago would have expired
        quiz = create_quiz(user=user, questions=Question.objects.filter(pk=question.pk), mode=mode, size=1,
                           title="Again", now=timezone.now())  # fmt: skip
        if question.kind == "short":
            data = {"text": "backward" if right else "forward"}
        else:
            data = {"choice": question.choices.filter(is_correct=right).first().pk}
        client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, **data})
    return quiz


def card_of(user, question):
    return ReviewCard.objects.get(user=user, question=question)


def forget_again_and_again(client, user, question, lapses):
    """Learn the card, then forget it each time it falls due, relearning it in between."""
    moment = timezone.now()
    answer_at(client, user, question, moment, right=True)  # learning step
    answer_at(client, user, question, card_of(user, question).due + timedelta(minutes=1), right=True)  # learnt
    for _ in range(lapses):
        card = card_of(user, question)
        assert card.state == fsrs.State.Review.value
        answer_at(client, user, question, card.due + timedelta(hours=1), right=False)  # forgotten: a lapse
        answer_at(client, user, question, card_of(user, question).due + timedelta(minutes=1), right=True)
    return card_of(user, question).due + timedelta(hours=1)


@pytest.fixture
def leech(learner_client, learner):
    question = make_question(make_topic("core", "Core"), kind="single", prompt="The one I keep forgetting?")
    later = forget_again_and_again(learner_client, learner, question, 4)
    return question, later


def test_four_lapses_make_a_leech_on_the_dashboard_and_in_review(learner_client, learner, leech):
    question, later = leech
    assert card_of(learner, question).lapses == 4
    with time_machine.travel(later, tick=False):
        learner_client.force_login(learner)
        page = learner_client.get(DASHBOARD).content.decode()
        assert "1 question you have forgotten 4 times or more after learning it." in page
        assert "The one I keep forgetting?" in page.split('id="leeches"')[1]
        assert "Read the model answer" in page and "Write a note" in page
        learner_client.post(reverse("interviews:review"))
        review = Quiz.objects.get(user=learner, mode="review")
        page = learner_client.get(review.get_absolute_url()).content.decode()
    assert '<span class="tag tag-leech">Leech</span> You have forgotten this one 4 times.' in page


def test_three_lapses_are_no_leech_yet(learner_client, learner):
    question = make_question(kind="single")
    forget_again_and_again(learner_client, learner, question, 3)
    assert card_of(learner, question).lapses == 3
    assert "No leeches: no question has slipped away 4 times" in learner_client.get(DASHBOARD).content.decode()


def test_the_threshold_is_the_learners(learner_client, learner):
    question = make_question(kind="single", prompt="Forgotten twice?")
    forget_again_and_again(learner_client, learner, question, 2)
    Profile.objects.create(user=learner, leech_lapses=2)
    learner_client.force_login(learner)
    assert "Forgotten twice?" in learner_client.get(LEECHES).content.decode()


@pytest.mark.parametrize("value", ["1", "21", "many"])
def test_a_bad_threshold_is_refused(learner_client, learner, value):
    data = {"time_zone": "UTC", "desired_retention": "0.9", "new_per_day": 10, "leech_lapses": value}
    response = learner_client.post(reverse("interviews:account"), data)
    assert response.status_code == 422 and not Profile.objects.filter(user=learner).exists()


def test_i_was_right_takes_back_the_lapse(learner_client, learner):
    question = make_question(kind="short")
    later = forget_again_and_again(learner_client, learner, question, 1)
    quiz = answer_at(learner_client, learner, question, later, right=False)
    assert card_of(learner, question).lapses == 2
    with time_machine.travel(later + timedelta(seconds=30), tick=False):
        learner_client.force_login(learner)
        learner_client.post(quiz.get_absolute_url(), {"action": "override", "question": question.pk})
    assert card_of(learner, question).lapses == 1


# Suspending


def make_leech(user, question, lapses=5, due=None):
    return ReviewCard.objects.create(user=user, question=question, state=2, stability=3.0, difficulty=8.0, reps=12,
                                     lapses=lapses, due=due or timezone.now() - timedelta(hours=1),
                                     last_review=timezone.now() - timedelta(days=3))  # fmt: skip


def test_suspend_with_a_plain_post_takes_it_out_of_review(learner_client, learner):
    card = make_leech(learner, make_question())
    assert due_summary(learner, now=timezone.now(), prefs=Prefs())["due"] == 1
    response = learner_client.post(LEECHES, {"card": card.pk, "suspended": "1"})
    assert response.status_code == 302 and response["Location"] == LEECHES
    card.refresh_from_db()
    assert card.suspended
    assert due_summary(learner, now=timezone.now(), prefs=Prefs())["due"] == 0
    assert session_questions(learner, now=timezone.now(), prefs=Prefs()) == []
    page = learner_client.get(LEECHES).content.decode()
    assert "is out of your reviews until you put it back" in page and "Put back in review" in page
    learner_client.post(LEECHES, {"card": card.pk, "suspended": "0"})
    assert due_summary(learner, now=timezone.now(), prefs=Prefs())["due"] == 1


def test_suspend_from_the_dashboard_returns_there(learner_client, learner):
    card = make_leech(learner, make_question())
    response = learner_client.post(LEECHES, {"card": card.pk, "suspended": "1", "next": "dashboard"})
    assert response["Location"] == f"{DASHBOARD}#leeches"


def test_suspend_with_htmx_returns_the_list(htmx_client, learner):
    card = make_leech(learner, make_question())
    response = htmx_client.post(LEECHES, {"card": card.pk, "suspended": "1"})
    page = response.content.decode()
    assert page.strip().startswith('<section id="leech-list"') and "<html" not in page
    assert "Suspended" in page


def test_another_learners_card_is_404(other_client, learner):
    card = make_leech(learner, make_question())
    for value in (card.pk, "nope", ""):
        assert other_client.post(LEECHES, {"card": value, "suspended": "1"}).status_code == 404
    card.refresh_from_db()
    assert not card.suspended
    assert "No leeches" in other_client.get(LEECHES).content.decode()


def test_leeches_need_login_and_refuse_other_methods(client, learner_client):
    assert client.get(LEECHES).status_code == 302
    assert learner_client.delete(LEECHES).status_code == 405


def test_export_and_account_deletion(learner_client, learner):
    card = make_leech(learner, make_question())
    card.suspended = True
    card.save()
    data = learner_client.get(reverse("interviews:dashboard-export"), {"format": "json"}).json()
    assert [(row["lapses"], row["suspended"]) for row in data["review_cards"]] == [(5, True)]
    assert data["settings"][0]["leech_lapses"] == 4
    learner_client.post(reverse("interviews:delete-account"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=learner.pk).exists() and not ReviewCard.objects.exists()


@pytest.mark.parametrize("count", [2, 40])
def test_leech_pages_cost_a_fixed_number_of_queries(learner_client, learner, django_assert_max_num_queries, count):
    topic = make_topic()
    for n in range(count):
        make_leech(learner, make_question(topic), lapses=4 + n % 3)
    # session, user, leeches, the navigation's due count
    with django_assert_max_num_queries(4):
        assert learner_client.get(LEECHES).status_code == 200
    # the dashboard: progress, calibration (2), leeches (2), the due count
    with django_assert_max_num_queries(15):
        page = learner_client.get(DASHBOARD).content.decode()
    assert page.count('<li class="leech') == min(count, 5)


def test_suspending_is_rate_limited_per_learner(learner_client, learner, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "note": "1/m"}
    card = make_leech(learner, make_question())
    assert learner_client.post(LEECHES, {"card": card.pk, "suspended": "1"}).status_code == 302
    assert learner_client.post(LEECHES, {"card": card.pk, "suspended": "0"}).status_code == 429
    card.refresh_from_db()
    assert card.suspended
