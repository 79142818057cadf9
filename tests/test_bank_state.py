"""The question bank shows each question's state for me (new, answered right, missed, due) and filters by it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Quiz, QuizQuestion, ReviewCard
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
LIST = reverse("interviews:question-list")


def answered(user, question, correct, minutes_ago):
    quiz = Quiz.objects.create(user=user, title="Q", mode="practice", status="finished", size=1)
    item = QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    Answer.objects.create(quiz=quiz, item=item, question=question, user=user, question_version=1,
                          is_correct=correct, answered_at=moment, local_day=moment.date())  # fmt: skip


@pytest.fixture
def bank(learner, other_learner):
    topic = make_topic()
    new, right, missed, due = (
        make_question(topic, prompt=f"The {name} one?") for name in ("new", "right", "missed", "due")
    )
    answered(learner, right, False, 20)
    answered(learner, right, True, 10)  # the latest answer decides
    answered(learner, missed, True, 20)
    answered(learner, missed, False, 10)
    answered(learner, due, True, 10)
    ReviewCard.objects.create(user=learner, question=due, reps=2, due=timezone.now() - timedelta(hours=1))
    answered(other_learner, new, False, 5)  # someone else's miss is not mine
    return {"new": new, "right": right, "missed": missed, "due": due}


def prompts(page):
    results = page.split('id="question-results"')[1]
    return {name for name in ("new", "right", "missed", "due") if f"The {name} one?" in results}


def test_each_question_shows_my_state(learner_client, bank):
    page = learner_client.get(LIST).content.decode()
    for name, label in (("new", "New"), ("right", "Answered right"), ("missed", "Missed"), ("due", "Due for review")):
        after = page.split(f"The {name} one?")[1]
        assert after[after.index("tag-state ") :].startswith(f'tag-state tag-state-{name}">{label}</span>')


@pytest.mark.parametrize("state", ["new", "right", "missed", "due"])
def test_filter_by_my_state(learner_client, bank, state):
    assert prompts(learner_client.get(LIST, {"state": state}).content.decode()) == {state}


def test_filter_by_state_keeps_the_other_filters_and_pages(learner_client, bank):
    page = learner_client.get(LIST, {"state": "missed", "q": "reasons"}).content.decode()  # in every answer
    assert prompts(page) == {"missed"}
    assert '<option value="missed" selected>Missed</option>' in page


def test_a_bad_state_is_ignored_not_a_500(learner_client, bank):
    response = learner_client.get(LIST, {"state": "mastered"})
    assert response.status_code == 200 and prompts(response.content.decode()) == {"new", "right", "missed", "due"}


def test_anonymous_visitors_see_no_state(client, bank):
    page = client.get(LIST, {"state": "missed"}).content.decode()
    assert "tag-state" not in page and 'name="state"' not in page
    assert prompts(page) == {"new", "right", "missed", "due"}


def test_htmx_filter_returns_the_results_partial(htmx_client, bank):
    page = htmx_client.get(LIST, {"state": "due"}).content.decode()
    assert page.strip().startswith('<section id="question-results"') and prompts(page) == {"due"}


@pytest.mark.parametrize("extra", [0, 60])
def test_state_costs_a_fixed_number_of_queries(learner_client, learner, bank, django_assert_max_num_queries, extra):
    topic = make_topic()
    for n in range(extra):
        question = make_question(topic)
        answered(learner, question, n % 2 == 0, n)
    # session, user, topics, count, page, the due count
    with django_assert_max_num_queries(6):
        assert learner_client.get(LIST, {"state": "missed"}).status_code == 200
