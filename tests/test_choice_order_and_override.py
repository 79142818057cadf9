"""No answer given away by position, and "I was right" for typed answers graded too strictly."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import AcceptedAnswer, Answer, Question, Quiz, ReviewCard
from interviews.quizzes import create_quiz
from interviews.shuffle import choice_order
from tests.conftest import make_user
from tests.factories import add_choices, make_question

pytestmark = pytest.mark.django_db
CHOICE_INPUT = re.compile(r'name="choice" value="(\d+)"')
NOW = timezone.now().replace(microsecond=0)


def quiz_of(user, questions, mode="practice"):
    ids = Question.objects.filter(pk__in=[q.pk for q in questions])
    return create_quiz(user=user, questions=ids, mode=mode, size=len(questions), title="Test", now=timezone.now())


def shown_choice_ids(response) -> list[int]:
    return [int(value) for value in CHOICE_INPUT.findall(response.content.decode())]


def choice_question(correct_count=1, choices=4, kind="single"):
    """A question whose correct choices come first in the file, as the old bank had them."""
    question = make_question(kind="open", status="published")
    question.kind, question.key_points = kind, ""
    question.save()
    add_choices(question, [(f"Option {n}", n <= correct_count) for n in range(1, choices + 1)])
    return question


# The order


def test_order_is_stable_for_a_seed_and_differs_between_seeds():
    question = choice_question(choices=6)
    choices = list(question.choices.all())
    first = choice_order(choices, kind="single", seed="item:1")
    assert [c.pk for c in choice_order(choices, kind="single", seed="item:1")] == [c.pk for c in first]
    orders = {tuple(c.pk for c in choice_order(choices, kind="single", seed=f"item:{n}")) for n in range(20)}
    assert len(orders) > 10
    assert sorted(c.pk for c in first) == sorted(c.pk for c in choices)


def test_true_false_keeps_true_first():
    question = make_question(kind="true_false")
    question.choices.filter(text="True").update(order=2)
    choices = list(question.choices.all())
    assert [c.text for c in choice_order(choices, kind="true_false", seed="item:9")] == ["True", "False"]


def test_always_picking_the_first_option_scores_near_chance(learner_client, learner):
    # In file order the first option is right in 40 of these 50 questions.
    questions = [choice_question() for _ in range(30)]
    questions += [choice_question(kind="multiple", choices=4) for _ in range(10)]
    questions += [choice_question(correct_count=2, kind="multiple", choices=5) for _ in range(10)]
    quiz = quiz_of(learner, questions)
    for _ in range(50):
        page = learner_client.get(reverse("interviews:quiz-detail", args=[quiz.pk]))
        question_id = int(re.search(r'name="question" value="(\d+)"', page.content.decode()).group(1))
        first = shown_choice_ids(page)[0]
        learner_client.post(
            reverse("interviews:quiz-detail", args=[quiz.pk]),
            {"action": "answer", "question": question_id, "choice": first},
        )
    quiz.refresh_from_db()
    assert quiz.status == Quiz.Status.FINISHED and quiz.answered_count == 50
    # Chance is about 10 of 50 (a quarter of the 40 one-key questions); file order would give 40.
    assert quiz.correct_count <= 20, quiz.correct_count


def test_order_is_the_same_on_reload_htmx_feedback_results_and_without_javascript(learner_client, learner):
    questions = [choice_question(choices=5) for _ in range(5)]
    quiz = quiz_of(learner, questions)
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    item = quiz.items.select_related("question").first()
    shown = shown_choice_ids(learner_client.get(url))
    assert shown == shown_choice_ids(learner_client.get(url))
    assert shown == shown_choice_ids(learner_client.get(url, headers={"HX-Request": "true"}))
    file_order = [c.pk for c in item.question.choices.all()]
    assert sorted(shown) == sorted(file_order)

    # Feedback lists the same choices in the same order, with the learner's pick marked.
    wrong = next(pk for pk in shown if not item.question.choices.get(pk=pk).is_correct)
    response = learner_client.post(url, {"action": "answer", "question": item.question_id, "choice": wrong})
    feedback = learner_client.get(response["Location"]).content.decode()
    texts = [item.question.choices.get(pk=pk).text for pk in shown]
    positions = [feedback.index(text) for text in texts]
    assert positions == sorted(positions)
    htmx_feedback = learner_client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert [htmx_feedback.index(text) for text in texts] == sorted(htmx_feedback.index(text) for text in texts)

    for other in quiz.items.select_related("question")[1:]:
        learner_client.post(
            url, {"action": "answer", "question": other.question_id, "choice": other.question.choices.first().pk}
        )
    results = learner_client.get(reverse("interviews:quiz-results", args=[quiz.pk])).content.decode()
    section = results[results.index(f'id="item-{item.position}"') :]
    section = section[: section.index('id="item-', 10) if 'id="item-' in section[10:] else None]
    assert [section.index(text) for text in texts] == sorted(section.index(text) for text in texts)


def test_the_question_page_shuffles_too_and_keeps_its_order(learner_client):
    questions = [choice_question() for _ in range(12)]
    first_is_correct = 0
    for question in questions:
        page = learner_client.get(question.get_absolute_url()).content.decode()
        listed = re.findall(r"<li>(Option \d)</li>", page)
        assert sorted(listed) == ["Option 1", "Option 2", "Option 3", "Option 4"]
        again = re.findall(r"<li>(Option \d)</li>", learner_client.get(question.get_absolute_url()).content.decode())
        assert listed == again
        first_is_correct += listed[0] == "Option 1"
    assert first_is_correct < 12


# "I was right"


@pytest.fixture
def short_question():
    question = make_question(kind="short")  # accepts "backward"
    return question


def answer_wrong_then_override(client, quiz, question, *, htmx=False):
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    client.post(url, {"action": "answer", "question": question.pk, "text": "loss.backward(retain_graph=False)"})
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, {"action": "override", "question": question.pk}, headers=headers)


def test_override_counts_the_answer_right_and_replays_the_review_as_right(learner_client, learner, short_question):
    filler = [make_question(kind="short") for _ in range(4)]
    with time_machine.travel(NOW, tick=False):
        quiz = quiz_of(learner, [short_question, *filler])
        response = answer_wrong_then_override(learner_client, quiz, short_question, htmx=True)
    assert response.status_code == 200
    assert "You marked it right" in response.content.decode()
    answer = Answer.objects.get(quiz=quiz, question=short_question)
    assert answer.is_correct is True and answer.overridden is True
    quiz.refresh_from_db()
    assert quiz.correct_count == 1 and quiz.answered_count == 1

    # The card is where a right answer at the same moment would have put it.
    twin = make_user("twin")
    with time_machine.travel(NOW, tick=False):
        twin_quiz = quiz_of(twin, [short_question])
        twin_client = Client()
        twin_client.force_login(twin)
        twin_client.post(
            reverse("interviews:quiz-detail", args=[twin_quiz.pk]),
            {"action": "answer", "question": short_question.pk, "text": "backward"},
        )
    card = ReviewCard.objects.get(user=learner, question=short_question)
    twin_card = ReviewCard.objects.get(user=twin, question=short_question)
    assert card.due == twin_card.due > NOW + timedelta(minutes=5)  # Again would be due in a minute
    assert (card.state, card.stability, card.reps) == (twin_card.state, twin_card.stability, twin_card.reps)
    assert answer.review_due == card.due and answer.review_rating == 3  # Good


def test_override_without_javascript_goes_back_to_the_feedback(learner_client, learner, short_question):
    quiz = quiz_of(learner, [short_question, *[make_question(kind="short") for _ in range(4)]])
    position = quiz.items.get(question=short_question).position
    response = answer_wrong_then_override(learner_client, quiz, short_question)
    assert response.status_code == 302 and response["Location"].endswith(f"?answered={position}")
    assert "You marked it right" in learner_client.get(response["Location"]).content.decode()


def test_override_from_the_results_page_updates_the_score(learner_client, learner, short_question):
    quiz = quiz_of(learner, [short_question])
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    learner_client.post(url, {"action": "answer", "question": short_question.pk, "text": "forward pass"})
    quiz.refresh_from_db()
    assert quiz.status == Quiz.Status.FINISHED and quiz.score_percent == 0
    results = learner_client.get(reverse("interviews:quiz-results", args=[quiz.pk])).content.decode()
    assert "I was right" in results
    response = learner_client.post(url, {"action": "override", "question": short_question.pk, "next": "results"})
    assert response.status_code == 302 and "/results/#item-1" in response["Location"]
    quiz.refresh_from_db()
    assert quiz.score_percent == 100 and quiz.correct_count == 1


def test_override_twice_changes_nothing_more(learner_client, learner, short_question):
    quiz = quiz_of(learner, [short_question, make_question(kind="short")])
    answer_wrong_then_override(learner_client, quiz, short_question)
    learner_client.post(
        reverse("interviews:quiz-detail", args=[quiz.pk]), {"action": "override", "question": short_question.pk}
    )
    quiz.refresh_from_db()
    assert quiz.correct_count == 1


def test_choice_answers_cannot_be_overridden(learner_client, learner):
    question = make_question(kind="single")
    quiz = quiz_of(learner, [question, make_question(kind="single")])
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    wrong = question.choices.filter(is_correct=False).first()
    learner_client.post(url, {"action": "answer", "question": question.pk, "choice": wrong.pk})
    response = learner_client.post(url, {"action": "override", "question": question.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Only typed answers" in response.content.decode()
    assert Answer.objects.get(quiz=quiz, question=question).is_correct is False


def test_unanswered_and_open_exam_answers_cannot_be_overridden(learner_client, learner, short_question):
    quiz = quiz_of(learner, [short_question, make_question(kind="short")], mode="exam")
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    response = learner_client.post(url, {"action": "override", "question": short_question.pk})
    assert response.status_code == 302  # refused, with a message
    learner_client.post(url, {"action": "answer", "question": short_question.pk, "text": "nope"})
    response = learner_client.post(
        url, {"action": "override", "question": short_question.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and "Submit the exam first" in response.content.decode()
    assert not Answer.objects.get(quiz=quiz, question=short_question).overridden


def test_another_learners_answer_cannot_be_overridden(other_client, learner, short_question):
    quiz = quiz_of(learner, [short_question, make_question(kind="short")])
    client = Client()
    client.force_login(learner)
    client.post(
        reverse("interviews:quiz-detail", args=[quiz.pk]),
        {"action": "answer", "question": short_question.pk, "text": "nope"},
    )
    response = other_client.post(
        reverse("interviews:quiz-detail", args=[quiz.pk]), {"action": "override", "question": short_question.pk}
    )
    assert response.status_code == 404
    assert not Answer.objects.get(quiz=quiz).overridden


def test_curators_see_overrides_and_add_a_text_in_one_click(learner, short_question):
    for n in range(3):
        user = make_user(f"learner{n}")
        client = Client()
        client.force_login(user)
        quiz = quiz_of(user, [short_question])
        url = reverse("interviews:quiz-detail", args=[quiz.pk])
        client.post(url, {"action": "answer", "question": short_question.pk, "text": "backprop" if n else "bwd"})
        client.post(url, {"action": "override", "question": short_question.pk})
    curator = make_user("curator", is_staff=True)
    curator.user_permissions.add(*Permission.objects.filter(codename__in=["change_question", "view_question"]))
    admin = Client()
    admin.force_login(curator)
    listing = admin.get(reverse("admin:interviews_question_changelist")).content.decode()
    assert "Overrides" in listing
    change_url = reverse("admin:interviews_question_change", args=[short_question.pk])
    page = admin.get(change_url).content.decode()
    assert "<code>backprop</code></td><td>2</td>" in page and "<code>bwd</code></td><td>1</td>" in page

    form = page_form_data(page)
    form["_accept_override"] = "backprop"
    response = admin.post(change_url, form)
    assert response.status_code == 302 and response["Location"] == change_url
    assert AcceptedAnswer.objects.filter(question=short_question, text="backprop").exists()
    short_question.refresh_from_db()
    assert short_question.version == 2


def page_form_data(page: str) -> dict:
    """The change form's current values, as the browser would post them."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        if 'type="checkbox"' not in name:
            data.setdefault(name, value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    data.pop("_accept_override", None)
    return data
