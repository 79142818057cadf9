"""Confidence before checking: the rating rule, the question on the card, calibration on the dashboard."""

from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from interviews.calibration import Tally, calibration_table, verdict
from interviews.models import Answer, Profile, Question, Quiz, QuizQuestion
from interviews.quizzes import create_quiz
from interviews.scheduling import rating_for_answer
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("interviews:dashboard")
SURE, THINK_SO, GUESSING = 3, 2, 1


# The rating rule (pure)


@pytest.mark.parametrize(
    ("correct", "ms", "self_rating", "confidence", "expected"),
    [
        (True, 60_000, "", GUESSING, fsrs.Rating.Hard),  # a right guess is not knowledge
        (True, 3_000, "", GUESSING, fsrs.Rating.Hard),  # not even a fast one
        (False, 3_000, "", GUESSING, fsrs.Rating.Again),
        (True, 3_000, "", SURE, fsrs.Rating.Easy),
        (True, 60_000, "", THINK_SO, fsrs.Rating.Good),
        (True, 60_000, "", None, fsrs.Rating.Good),
        (True, 0, "good", GUESSING, fsrs.Rating.Hard),  # self-rated Good while guessing
        (True, 0, "easy", GUESSING, fsrs.Rating.Hard),
        (False, 0, "again", GUESSING, fsrs.Rating.Again),
        (False, 0, "hard", SURE, fsrs.Rating.Hard),
    ],
)
def test_right_while_guessing_rates_hard(correct, ms, self_rating, confidence, expected):
    kind = "open" if self_rating else "single"
    rating = rating_for_answer(
        kind=kind, is_correct=correct, time_taken_ms=ms, self_rating=self_rating, confidence=confidence
    )
    assert rating == expected


# On the question card


@pytest.fixture
def quiz(learner):
    topic = make_topic()
    questions = [make_question(topic, kind="single") for _ in range(3)]
    return create_quiz(
        user=learner,
        questions=Question.objects.filter(pk__in=[q.pk for q in questions]),
        mode="practice",
        size=3,
        title="Practice",
        now=timezone.now(),
    )


def answer(client, quiz, *, right=True, **data):
    item = quiz.items.select_related("question").filter(answer__isnull=True).first()
    choice = item.question.choices.filter(is_correct=right).first()
    return item, client.post(
        quiz.get_absolute_url(), {"action": "answer", "question": item.question_id, "choice": choice.pk, **data}
    )


def test_the_card_asks_how_sure_before_checking(learner_client, quiz):
    page = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "<legend>How sure are you?</legend>" in page
    assert page.index("How sure are you?") < page.index("Check answer")
    for label in ("Sure", "Think so", "Guessing"):
        assert f"> {label} <kbd" in page


def test_confidence_is_stored_and_a_right_guess_rates_hard(learner_client, quiz):
    item, response = answer(learner_client, quiz, confidence=GUESSING)
    assert response.status_code == 302
    stored = Answer.objects.get(item=item)
    assert stored.confidence == GUESSING and stored.is_correct
    assert stored.review_rating == fsrs.Rating.Hard
    page = learner_client.get(response["Location"]).content.decode()
    assert "You said: <strong>Guessing</strong>. A right guess counts as Hard" in page


def test_confidence_is_optional(learner_client, quiz):
    item, _ = answer(learner_client, quiz)
    assert Answer.objects.get(item=item).confidence is None


def test_junk_confidence_is_refused_and_nothing_saved(htmx_client, quiz):
    item, response = answer(htmx_client, quiz, confidence="certain")
    assert response.status_code == 422
    assert "Say Sure, Think so or Guessing." in response.content.decode()
    assert not Answer.objects.filter(item=item).exists()


def test_a_refused_answer_keeps_the_confidence_chosen(htmx_client, quiz):
    item = quiz.items.select_related("question").first()
    response = htmx_client.post(
        quiz.get_absolute_url(), {"action": "answer", "question": item.question_id, "confidence": SURE}
    )
    assert response.status_code == 422
    assert 'value="3" id="confidence-3" checked' in response.content.decode()


def test_the_question_can_be_turned_off_in_the_account_settings(learner_client, learner, quiz):
    data = {"time_zone": "UTC", "desired_retention": "0.9", "new_per_day": 10, "leech_lapses": 4}
    response = learner_client.post(reverse("interviews:account"), data)  # the unticked box turns it off
    assert response.status_code == 302
    assert Profile.objects.get(user=learner).ask_confidence is False
    assert "How sure are you?" not in learner_client.get(quiz.get_absolute_url()).content.decode()
    learner_client.post(reverse("interviews:account"), {**data, "ask_confidence": "on"})
    assert "How sure are you?" in learner_client.get(quiz.get_absolute_url()).content.decode()


def test_the_account_page_has_the_setting_on_by_default(learner_client):
    page = learner_client.get(reverse("interviews:account")).content.decode()
    assert 'name="ask_confidence"' in page and "checked" in page.split('name="ask_confidence"')[1].split(">")[0]


def test_an_exam_does_not_ask(learner_client, learner):
    topic = make_topic()
    for _ in range(5):
        make_question(topic, kind="single")
    exam = create_quiz(user=learner, questions=Question.objects.all(), mode="exam", size=5, title="Exam",
                       now=timezone.now())  # fmt: skip
    assert "How sure are you?" not in learner_client.get(exam.get_absolute_url()).content.decode()


def test_an_interview_asks_before_the_reveal_and_a_guess_rated_good_counts_as_hard(htmx_client, learner):
    question = make_question(kind="open")
    quiz = create_quiz(user=learner, questions=Question.objects.filter(pk=question.pk), mode="interview", size=5,
                       title="Interview", now=timezone.now())  # fmt: skip
    page = htmx_client.get(quiz.get_absolute_url()).content.decode()
    assert page.index("How sure are you?") < page.index("Reveal the model answer")
    url = quiz.get_absolute_url()
    htmx_client.post(url, {"action": "answer", "question": question.pk, "text": "", "confidence": GUESSING})
    htmx_client.post(url, {"action": "rate", "question": question.pk, "rating": "good"})
    stored = Answer.objects.get(quiz=quiz)
    assert stored.confidence == GUESSING and stored.review_rating == fsrs.Rating.Hard and stored.is_correct


# Calibration (pure)


def test_calibration_table_overall_and_per_topic():
    table = calibration_table(
        [
            Tally("Autograd", SURE, 10, 9),
            Tally("Autograd", GUESSING, 4, 1),
            Tally("CNNs", SURE, 10, 5),
            Tally("CNNs", THINK_SO, 3, 2),
        ]
    )
    assert table["answered"] == 27
    assert [(c["label"], c["answered"], c["right"], c["percent"]) for c in table["overall"]] == [
        ("Sure", 20, 14, 70),
        ("Think so", 3, 2, 67),
        ("Guessing", 4, 1, 25),
    ]
    assert [row["topic"] for row in table["topics"]] == ["Autograd", "CNNs"]
    assert [c["percent"] for c in table["topics"][0]["cells"]] == [90, None, 25]
    assert [c["percent"] for c in table["topics"][1]["cells"]] == [50, 67, None]


def test_verdict_in_words():
    table = calibration_table([Tally("A", SURE, 10, 7), Tally("A", GUESSING, 5, 4)])
    assert verdict(table["overall"]).startswith("When you are sure, you are right only 70% of the time.")
    assert "Your guesses are right 80% of the time" in verdict(table["overall"])
    assert "you can trust that feeling" in verdict(calibration_table([Tally("A", SURE, 10, 10)])["overall"])
    assert verdict(calibration_table([Tally("A", GUESSING, 1, 0)])["overall"]).startswith("Say how sure")


# Calibration on the dashboard


def answered(user, question, *, correct, confidence, day=date(2026, 11, 20)):
    quiz = Quiz.objects.create(user=user, title="Q", mode="practice", status="finished", size=1, answered_count=1)
    item = QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    return Answer.objects.create(quiz=quiz, item=item, question=question, user=user, question_version=1,
                                 is_correct=correct, confidence=confidence, local_day=day,
                                 answered_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC))  # fmt: skip


def get_dashboard(client):
    with time_machine.travel(datetime(2026, 11, 27, 15, tzinfo=UTC), tick=False):
        return client.get(DASHBOARD).content.decode()


def test_dashboard_shows_calibration_and_the_confidently_wrong(learner_client, learner, other_learner):
    core, cnns = make_topic("core", "Core", order=1), make_topic("cnns", "CNNs", order=2)
    firm_miss, lucky, known = make_question(core), make_question(cnns), make_question(core)
    answered(learner, firm_miss, correct=False, confidence=SURE)
    answered(learner, known, correct=True, confidence=SURE)
    answered(learner, lucky, correct=True, confidence=GUESSING)
    answered(learner, known, correct=True, confidence=None)  # not said: counts nowhere
    answered(other_learner, lucky, correct=False, confidence=SURE)  # not mine
    page = get_dashboard(learner_client)
    assert 'aria-label="Sure: 50% right, 1 of 2 answers"' in page
    assert 'aria-label="Guessing: 100% right, 1 of 1 answers"' in page
    assert 'aria-label="Think so: no answers"' in page
    wrong = page.split('id="confidently-wrong-heading"')[1]
    assert firm_miss.prompt in wrong and lucky.prompt not in wrong.split("</ol>")[0]
    assert '<th scope="row">Core</th><td>50% <span class="muted">(1/2)</span></td>' in page


def test_dashboard_without_confidence_explains_it(learner_client, learner):
    answered(learner, make_question(), correct=True, confidence=None)
    page = get_dashboard(learner_client)
    assert "Before you check an answer, say whether you are <strong>sure</strong>" in page


@pytest.mark.parametrize("extra", [0, 200])
def test_calibration_costs_two_queries_at_any_size(learner, django_assert_num_queries, extra):
    from interviews.calibration import calibration_data

    topics = [make_topic(f"t{n}", order=n) for n in range(3)]
    questions = [make_question(topics[n % 3]) for n in range(6)]
    for n in range(extra):
        answered(learner, questions[n % 6], correct=n % 3 == 0, confidence=1 + n % 3,
                 day=date(2026, 11, 20) - timedelta(days=n % 50))  # fmt: skip
    with django_assert_num_queries(2):
        data = calibration_data(learner)["calibration"]
    assert data["answered"] == extra


def test_export_includes_the_confidence(learner_client, learner):
    answered(learner, make_question(), correct=True, confidence=THINK_SO)
    data = learner_client.get(reverse("interviews:dashboard-export"), {"format": "json"}).json()
    assert data["answers"][0]["confidence"] == "Think so"
