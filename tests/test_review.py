"""Spaced review with FSRS: scheduling, time zones, the due count, the review session, settings."""

import threading
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews import scheduling
from interviews.models import Answer, Profile, Quiz, ReviewCard
from interviews.quizzes import create_quiz
from interviews.review import Prefs, due_summary
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
REVIEW = reverse("interviews:review")


def review_n(state, ratings, start=NOW):
    """Apply ratings one after another, each at the moment the card falls due."""
    now, trace = start, []
    for rating in ratings:
        state, _ = scheduling.review(7, state, rating, now=now, desired_retention=0.9)
        trace.append(state.due)
        now = state.due
    return state, trace


# Pure scheduling


def test_new_card_is_due_at_once():
    assert scheduling.new_card_state(NOW).due == NOW


def test_good_pushes_the_due_date_forward_and_again_brings_it_back():
    learnt, _ = review_n(scheduling.new_card_state(NOW), [fsrs.Rating.Good] * 4)
    assert learnt.due - learnt.last_review > timedelta(days=2)
    good, _ = scheduling.review(7, learnt, fsrs.Rating.Good, now=learnt.due, desired_retention=0.9)
    again, _ = scheduling.review(7, learnt, fsrs.Rating.Again, now=learnt.due, desired_retention=0.9)
    assert good.due - learnt.due > learnt.due - learnt.last_review
    assert again.due - learnt.due <= timedelta(minutes=10)


def test_five_reviews_trace_grows():
    _, trace = review_n(scheduling.new_card_state(NOW), [fsrs.Rating.Good] * 5)
    gaps = [later - earlier for earlier, later in zip([NOW, *trace], trace, strict=False)]
    assert gaps == sorted(gaps)


def test_stored_state_round_trips_through_the_fsrs_package():
    state, _ = review_n(scheduling.new_card_state(NOW), [fsrs.Rating.Good, fsrs.Rating.Easy])
    card = fsrs.Card(
        card_id=7,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )
    again = fsrs.Card.from_dict(card.to_dict())
    assert (again.state.value, again.step, again.stability, again.difficulty, again.due, again.last_review) == (
        state.state,
        state.step,
        state.stability,
        state.difficulty,
        state.due,
        state.last_review,
    )


def test_fsrs_refuses_zoneinfo_utc_so_we_convert():
    from zoneinfo import ZoneInfo

    local = NOW.astimezone(ZoneInfo("UTC"))
    state, _ = scheduling.review(
        7, scheduling.new_card_state(local), fsrs.Rating.Good, now=local, desired_retention=0.9
    )
    assert state.due.tzinfo is UTC


@pytest.mark.parametrize(
    ("kind", "correct", "ms", "self_rating", "expected"),
    [
        ("single", False, 3000, "", fsrs.Rating.Again),
        ("single", True, 60_000, "", fsrs.Rating.Good),
        ("single", True, 4000, "", fsrs.Rating.Easy),
        ("single", True, 0, "", fsrs.Rating.Good),  # unknown duration is not "fast"
        ("multiple", True, 24_000, "", fsrs.Rating.Easy),
        ("true_false", True, 9000, "", fsrs.Rating.Good),
        ("open", True, 1000, "hard", fsrs.Rating.Hard),
        ("open", False, 1000, "again", fsrs.Rating.Again),
    ],
)
def test_rating_mapping(kind, correct, ms, self_rating, expected):
    assert (
        scheduling.rating_for_answer(kind=kind, is_correct=correct, time_taken_ms=ms, self_rating=self_rating)
        == expected
    )


def test_higher_retention_brings_reviews_sooner():
    learnt, _ = review_n(scheduling.new_card_state(NOW), [fsrs.Rating.Good] * 3)
    relaxed, _ = scheduling.review(7, learnt, fsrs.Rating.Good, now=learnt.due, desired_retention=0.7)
    strict, _ = scheduling.review(7, learnt, fsrs.Rating.Good, now=learnt.due, desired_retention=0.97)
    assert strict.due < relaxed.due


# Due today, in the learner's time zone


def card_due(user, due, reps=1):
    return ReviewCard.objects.create(user=user, question=make_question(), due=due, reps=reps)


@pytest.mark.parametrize(
    ("local_due", "due_today"),
    [("23:30", True), ("00:30+1", False)],
)
def test_due_means_before_the_end_of_the_learners_day(learner, local_due, due_today):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    now = datetime(2026, 7, 1, 20, 0, tzinfo=zone)  # 8 pm in New York, already 00:00 UTC next day
    hour, minute = map(int, local_due.split("+")[0].split(":"))
    day = now.date() + timedelta(days=1 if "+1" in local_due else 0)
    card_due(learner, datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))
    summary = due_summary(learner, now=now, prefs=Prefs(time_zone="America/New_York"))
    assert summary["due"] == (1 if due_today else 0)


def test_new_cards_are_limited_per_day(learner):
    for _ in range(5):
        card_due(learner, NOW, reps=0)
    ReviewCard.objects.create(
        user=learner,
        question=make_question(),
        due=NOW + timedelta(days=3),
        reps=1,
        first_reviewed_at=NOW - timedelta(hours=1),
    )
    summary = due_summary(learner, now=NOW, prefs=Prefs(new_per_day=3))
    assert (summary["new"], summary["new_waiting"], summary["due"]) == (2, 5, 0)


def test_due_count_costs_one_query(learner, django_assert_num_queries):
    card_due(learner, NOW - timedelta(days=1))
    with django_assert_num_queries(1):
        assert due_summary(learner, now=NOW, prefs=Prefs())["total"] == 1


# Cards follow answers


@pytest.fixture
def questions(db):
    topic = make_topic()
    return [make_question(topic, kind="single") for _ in range(6)]


def start(user, questions, mode="practice", size=3):
    from interviews.models import Question

    pool = Question.objects.filter(pk__in=[q.pk for q in questions])
    return create_quiz(user=user, questions=pool, mode=mode, size=size, title="Quiz", now=timezone.now())


def answer(client, quiz, question, correct=True, **headers):
    choice = question.choices.get(is_correct=correct) if correct else question.choices.filter(is_correct=False).first()
    return client.post(
        quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "choice": choice.pk}, headers=headers
    )


def test_an_answer_creates_and_reschedules_the_card_in_the_same_transaction(learner_client, learner, questions):
    quiz = start(learner, questions)
    question = quiz.items.first().question
    answer(learner_client, quiz, question, correct=False)
    card = ReviewCard.objects.get(user=learner, question=question)
    stored = Answer.objects.get(quiz=quiz, question=question)
    assert card.reps == 1 and stored.review_rating == fsrs.Rating.Again and stored.review_due == card.due
    assert card.due - stored.answered_at <= timedelta(minutes=10)


def test_bookmarking_creates_a_new_card_due_at_once(learner_client, learner, questions):
    question = questions[0]
    learner_client.post(question.get_absolute_url(), {"action": "bookmark", "bookmarked": "1"})
    card = ReviewCard.objects.get(user=learner, question=question)
    assert card.reps == 0 and card.due <= timezone.now()
    assert due_summary(learner, now=timezone.now(), prefs=Prefs())["new"] == 1


def test_exam_cards_are_rescheduled_on_submission(learner_client, learner, questions):
    quiz = start(learner, questions, mode="exam")
    question = quiz.items.first().question
    answer(learner_client, quiz, question)
    assert not ReviewCard.objects.exists()
    learner_client.post(quiz.get_absolute_url(), {"action": "submit", "confirm": "1"})
    assert ReviewCard.objects.get(user=learner, question=question).reps == 1


def test_interview_self_rating_is_used_as_given(htmx_client, learner):
    question = make_question(kind="open")
    quiz = create_quiz(
        user=learner,
        questions=type(question).objects.filter(pk=question.pk),
        mode="interview",
        size=5,
        title="Interview",
        now=timezone.now(),
    )
    htmx_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "text": ""})
    htmx_client.post(quiz.get_absolute_url(), {"action": "rate", "question": question.pk, "rating": "hard"})
    assert Answer.objects.get(quiz=quiz).review_rating == fsrs.Rating.Hard


def test_another_learners_card_is_never_touched(learner_client, learner, other_learner, questions):
    question = questions[0]
    theirs = ReviewCard.objects.create(user=other_learner, question=question, due=NOW, reps=3, stability=9.0)
    quiz = start(learner, [question], size=1)
    answer(learner_client, quiz, question)
    theirs.refresh_from_db()
    assert (theirs.reps, theirs.stability, theirs.due) == (3, 9.0, NOW)
    assert ReviewCard.objects.get(user=learner, question=question).reps == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_reviewing_the_same_card_give_one_update(learner, questions):
    quiz = start(learner, questions, mode="review", size=1)
    question = quiz.items.first().question
    barrier = threading.Barrier(2)

    def submit():
        client = Client(headers={"HX-Request": "true"})
        client.force_login(learner)
        barrier.wait(timeout=10)
        answer(client, quiz, question)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert ReviewCard.objects.get(user=learner, question=question).reps == 1


# The review page and session


def test_review_page_shows_what_is_due_and_starts_a_session(learner_client, learner, questions):
    now = timezone.now()
    for question in questions[:3]:
        ReviewCard.objects.create(
            user=learner,
            question=question,
            due=now - timedelta(hours=1),
            reps=2,
            state=2,
            stability=5.0,
            difficulty=5.0,
            last_review=now - timedelta(days=5),
        )
    page = learner_client.get(REVIEW).content.decode()
    assert "<strong>3</strong> questions due for review" in page
    assert '<span class="badge" aria-label="3 due">3</span>' in page
    response = learner_client.post(REVIEW)
    quiz = Quiz.objects.get(user=learner, mode="review")
    assert response["Location"] == quiz.get_absolute_url()
    assert set(quiz.items.values_list("question_id", flat=True)) == {q.pk for q in questions[:3]}
    for item in quiz.items.select_related("question"):
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            answer(learner_client, quiz, item.question)
    assert "Nothing is due right now" in learner_client.get(REVIEW).content.decode()


def test_review_with_nothing_due(learner_client):
    response = learner_client.post(REVIEW, follow=True)
    assert "Nothing is due right now" in response.content.decode()
    assert not Quiz.objects.exists()


def test_review_needs_login(client):
    assert client.get(REVIEW).status_code == 302


@pytest.mark.parametrize("cards", [2, 40])
def test_review_page_query_budget(learner_client, learner, django_assert_max_num_queries, cards):
    topic = make_topic()
    for _ in range(cards):
        ReviewCard.objects.create(user=learner, question=make_question(topic), due=NOW, reps=1)
    with django_assert_max_num_queries(6):
        assert learner_client.get(REVIEW).status_code == 200


# Settings


def test_bad_retention_is_refused_with_a_clear_message(learner_client, learner):
    for value in ["0.5", "0.99", "lots"]:
        response = learner_client.post(
            reverse("interviews:account"), {"time_zone": "UTC", "desired_retention": value, "new_per_day": 10}
        )
        assert response.status_code == 422
        assert "Ensure this value is" in response.content.decode() or "Enter a number" in response.content.decode()
    assert not Profile.objects.filter(user=learner).exists()


def test_unknown_time_zone_is_refused(learner_client, learner):
    response = learner_client.post(
        reverse("interviews:account"), {"time_zone": "Mars/Olympus", "desired_retention": 0.9, "new_per_day": 10}
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()


def test_changed_retention_takes_effect_on_the_next_review(learner_client, learner, questions):
    learner_client.post(
        reverse("interviews:account"), {"time_zone": "Europe/Paris", "desired_retention": "0.97", "new_per_day": 5}
    )
    profile = Profile.objects.get(user=learner)
    assert (profile.time_zone, profile.desired_retention, profile.new_per_day) == ("Europe/Paris", 0.97, 5)
    learnt, _ = review_n(scheduling.new_card_state(NOW), [fsrs.Rating.Good] * 3)
    question = questions[0]
    ReviewCard.objects.create(
        user=learner,
        question=question,
        state=learnt.state,
        step=learnt.step,
        stability=learnt.stability,
        difficulty=learnt.difficulty,
        due=learnt.due,
        last_review=learnt.last_review,
        reps=3,
    )
    expected, _ = scheduling.review(1, learnt, fsrs.Rating.Good, now=learnt.due, desired_retention=0.97)
    quiz = start(learner, [question], size=1)
    with time_machine.travel(learnt.due, tick=False):
        answer(learner_client, quiz, question)
    assert ReviewCard.objects.get(user=learner, question=question).due == expected.due


def test_signup_takes_the_browser_time_zone(client):
    password = "a-much-Longer-passphrase-7"
    client.post(
        reverse("interviews:signup"),
        {
            "username": "kai",
            "email": "kai@example.com",
            "password1": password,
            "password2": password,
            "time_zone": "Asia/Tokyo",
        },
    )
    assert Profile.objects.get(user__username="kai").time_zone == "Asia/Tokyo"


def test_answering_a_bookmarked_question_reviews_its_new_card(learner_client, learner, questions):
    question = questions[0]
    learner_client.post(question.get_absolute_url(), {"action": "bookmark", "bookmarked": "1"})
    quiz = start(learner, [question], size=1)
    answer(learner_client, quiz, question)
    card = ReviewCard.objects.get(user=learner, question=question)
    assert card.reps == 1 and card.first_reviewed_at is not None and card.due > timezone.now()
