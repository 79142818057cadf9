"""Quizzes end to end at the HTTP level: building, answering exactly once, modes, refusals, results."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Bookmark, Quiz, QuizQuestion
from interviews.quizzes import create_quiz
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.django_db
NEW = reverse("interviews:quiz-new")


@pytest.fixture
def bank(db):
    core = make_topic("pytorch-core", "PyTorch core", order=1)
    cnn = make_topic("cnns", "Convolutional networks", order=2)
    questions = []
    for i in range(30):
        topic = core if i % 2 else cnn
        kind = ["single", "multiple", "true_false", "short"][i % 4]
        questions.append(make_question(topic, kind=kind, difficulty=["easy", "medium", "hard"][i % 3]))
    for _ in range(8):
        questions.append(make_question(core, kind="open"))
    return questions


def start(user, mode="practice", size=5, kind=None, **extra):
    from interviews.models import Question
    from interviews.quizzes import pool_for_mode

    pool = pool_for_mode(Question.objects.published(), mode, [kind] if kind else None)
    return create_quiz(user=user, questions=pool, mode=mode, size=size, title="Test quiz", now=timezone.now(), **extra)


def url(quiz, suffix=""):
    return reverse("interviews:quiz-results" if suffix == "results" else "interviews:quiz-detail", args=[quiz.pk])


def first_item(quiz):
    return quiz.items.select_related("question").first()


def right_answer(question):
    if question.kind == "short":
        return {"text": "  BACKWARD "}
    correct = [c.pk for c in question.choices.all() if c.is_correct]
    return {"choice": correct if question.kind == "multiple" else correct[0]}


def wrong_answer(question):
    if question.kind == "short":
        return {"text": "forward"}
    return {"choice": next(c.pk for c in question.choices.all() if not c.is_correct)}


def answer(client, quiz, question, data, **headers):
    return client.post(url(quiz), {"action": "answer", "question": question.pk, **data}, headers=headers)


# Building


def test_builder_draws_published_auto_graded_questions_without_repeats(learner_client, learner, bank):
    make_question(kind="single", status="draft")
    response = learner_client.post(NEW, {"mode": "practice", "size": 12})
    quiz = Quiz.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == url(quiz)
    questions = [item.question for item in quiz.items.select_related("question")]
    assert len(questions) == len({q.pk for q in questions}) == quiz.size == 12
    assert all(q.status == "published" and q.kind != "open" for q in questions)
    assert [item.position for item in quiz.items.all()] == list(range(1, 13))


def test_builder_filters_by_topic_difficulty_and_kind(learner_client, learner, bank):
    learner_client.post(NEW, {"mode": "practice", "size": 5, "topics": ["cnns"], "kinds": ["single", "short"]})
    quiz = Quiz.objects.get(user=learner)
    for item in quiz.items.select_related("question__topic"):
        assert item.question.topic.slug == "cnns" and item.question.kind in {"single", "short"}


def test_smaller_pool_makes_a_smaller_quiz_and_says_so(learner_client, learner, bank):
    response = learner_client.post(
        NEW, {"mode": "practice", "size": 50, "topics": ["cnns"], "kinds": ["true_false"]}, follow=True
    )
    quiz = Quiz.objects.get(user=learner)
    assert quiz.size < 50
    assert f"Only {quiz.size} questions match your choices" in response.content.decode()


def test_empty_pool_is_an_error_on_the_builder(learner_client, learner, bank):
    response = learner_client.post(
        NEW, {"mode": "practice", "size": 5, "difficulties": ["hard"], "kinds": ["short"], "topics": ["nope"]}
    )
    assert response.status_code == 422
    assert not Quiz.objects.exists()
    response = learner_client.post(NEW, {"mode": "interview", "size": 5, "topics": ["cnns"]})
    assert response.status_code == 422
    assert "No published questions match" in response.content.decode()
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "practice", "size": 4}, "greater than or equal to 5"),
        ({"mode": "practice", "size": 51}, "less than or equal to 50"),
        ({"mode": "practice", "size": "ten"}, "Enter a whole number"),
        ({"mode": "sprint", "size": 10}, "Select a valid choice"),
        ({"mode": "exam", "size": 10, "time_limit_minutes": 0}, "greater than or equal to 1"),
        ({"preset": "everything"}, "That preset does not exist"),
    ],
)
def test_builder_bad_input_is_explained_and_saves_nothing(learner_client, bank, data, message):
    response = learner_client.post(NEW, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Quiz.objects.exists()


def test_presets(learner_client, learner, bank):
    learner_client.post(NEW, {"preset": "quick10"})
    assert Quiz.objects.get(title="Quick 10").size == 10
    learner_client.post(NEW, {"preset": "pytorch-core"})
    core = Quiz.objects.get(title="All of PyTorch core")
    assert {i.question.topic.slug for i in core.items.select_related("question__topic")} == {"pytorch-core"}
    Bookmark.objects.create(user=learner, question=bank[0])
    learner_client.post(NEW, {"preset": "bookmarks"})
    assert [i.question_id for i in Quiz.objects.get(title="My bookmarks").items.all()] == [bank[0].pk]


def test_missed_preset_uses_the_latest_answer(learner_client, learner, bank):
    quiz = start(learner, size=5)
    items = list(quiz.items.select_related("question"))
    answer(learner_client, quiz, items[0].question, wrong_answer(items[0].question))
    answer(learner_client, quiz, items[1].question, right_answer(items[1].question))
    learner_client.post(NEW, {"preset": "missed"})
    missed = Quiz.objects.get(title="Questions I missed")
    assert [i.question_id for i in missed.items.all()] == [items[0].question_id]


def test_builder_offers_to_resume_an_unfinished_quiz(learner_client, learner, bank):
    quiz = start(learner)
    page = learner_client.get(NEW).content.decode()
    assert "You have an unfinished quiz" in page and url(quiz) in page
    assert "Continue where you left off" in learner_client.get("/").content.decode()


def test_builder_needs_login(client):
    assert client.get(NEW).status_code == 302


# Taking a practice quiz


def test_reload_never_reshuffles(learner_client, learner, bank):
    quiz = start(learner, size=10)
    first = learner_client.get(url(quiz)).content.decode()
    second = learner_client.get(url(quiz)).content.decode()
    prompt = first_item(quiz).question.prompt
    assert prompt in first and prompt in second


def test_practice_answer_gives_feedback_at_once_with_htmx(htmx_client, learner, bank):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    response = answer(htmx_client, quiz, question, right_answer(question))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<section id="question-card"') and "<html" not in page
    assert "✓ Correct" in page and "Why right." in page and "Why wrong." in page
    assert 'data-shortcut="next"' in page
    stored = Answer.objects.get(quiz=quiz)
    assert stored.is_correct and stored.question_version == question.version
    quiz.refresh_from_db()
    assert (quiz.answered_count, quiz.correct_count) == (1, 1)


def test_practice_answer_without_javascript_redirects_to_the_feedback(learner_client, learner, bank):
    quiz = start(learner, kind="multiple")
    question = first_item(quiz).question
    response = answer(learner_client, quiz, question, wrong_answer(question))
    assert response.status_code == 302 and response["Location"] == f"{url(quiz)}?answered=1"
    page = learner_client.get(response["Location"]).content.decode()
    assert "✗ Not quite" in page and "Correct answer" in page
    next_page = learner_client.get(url(quiz)).content.decode()
    assert quiz.items.get(position=2).question.prompt in next_page


def test_short_answers_are_normalised(htmx_client, learner, bank):
    quiz = start(learner, kind="short")
    question = first_item(quiz).question
    page = answer(htmx_client, quiz, question, {"text": "  BaCkWaRd  "}).content.decode()
    assert "✓ Correct" in page
    assert Answer.objects.get(quiz=quiz).text == "BaCkWaRd"


def test_second_submit_returns_stored_result_not_a_second_row(htmx_client, learner, bank):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    first = answer(htmx_client, quiz, question, right_answer(question))
    again = answer(htmx_client, quiz, question, wrong_answer(question))
    assert again.status_code == first.status_code == 200
    assert "✓ Correct" in again.content.decode()
    assert Answer.objects.filter(quiz=quiz).count() == 1
    quiz.refresh_from_db()
    assert quiz.answered_count == 1


def test_the_database_refuses_a_second_answer_row(learner, bank):
    quiz = start(learner)
    item = first_item(quiz)
    Answer.objects.create(
        quiz=quiz, item=item, question=item.question, user=learner, question_version=1, local_day=timezone.localdate()
    )
    other_item = quiz.items.get(position=2)
    with pytest.raises(IntegrityError):
        Answer.objects.create(
            quiz=quiz,
            item=other_item,
            question=item.question,
            user=learner,
            question_version=1,
            local_day=timezone.localdate(),
        )


@pytest.mark.django_db(transaction=True)
def test_two_tabs_answering_at_once_store_one_answer(learner, bank):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    barrier = threading.Barrier(2)
    responses = []

    def submit(data):
        client = Client(headers={"HX-Request": "true"})
        client.force_login(learner)
        barrier.wait(timeout=10)
        responses.append(answer(client, quiz, question, data))
        connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in (right_answer(question), wrong_answer(question))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in responses] == [200, 200]
    assert Answer.objects.filter(quiz=quiz).count() == 1
    verdict = "✓ Correct" if Answer.objects.get(quiz=quiz).is_correct else "✗ Not quite"
    assert all(verdict in r.content.decode() for r in responses)
    quiz.refresh_from_db()
    assert quiz.answered_count == 1


def test_last_answer_finishes_a_practice_quiz(learner_client, learner, bank):
    quiz = start(learner, size=5)
    for item in quiz.items.select_related("question"):
        answer(learner_client, quiz, item.question, right_answer(item.question))
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.score_percent == 100 and quiz.finished_at
    assert learner_client.get(url(quiz))["Location"] == url(quiz, "results")


# Refusals


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": ""}, "Choose an answer."),
        ({"choice": "abc"}, "That choice is not one of this question"),
        ({"choice": "99999999999999999999999999"}, "That choice is not one of this question"),
    ],
)
def test_bad_choice_is_refused_and_nothing_saved(htmx_client, learner, bank, data, message):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    response = answer(htmx_client, quiz, question, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_choice_of_another_question_is_refused(htmx_client, learner, bank):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    foreign = make_question(kind="single").choices.get(is_correct=True)
    response = answer(htmx_client, quiz, question, {"choice": foreign.pk})
    assert response.status_code == 422
    assert "That choice is not one of this question" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("question_id", ["not-a-number", "", "123456789012345678901234567890"])
def test_bad_question_id_is_refused(htmx_client, learner, bank, question_id):
    quiz = start(learner)
    response = htmx_client.post(url(quiz), {"action": "answer", "question": question_id, "choice": 1})
    assert response.status_code == 422
    assert "not part of this quiz" in response.content.decode()
    assert not Answer.objects.exists()


def test_question_not_in_this_quiz_is_refused(htmx_client, learner, bank):
    quiz = start(learner, size=5)
    outside = next(q for q in bank if not quiz.items.filter(question=q).exists() and q.kind == "single")
    response = answer(htmx_client, quiz, outside, right_answer(outside))
    assert response.status_code == 422
    assert not Answer.objects.exists()


def test_empty_short_answer_is_refused(htmx_client, learner, bank):
    quiz = start(learner, kind="short")
    response = answer(htmx_client, quiz, first_item(quiz).question, {"text": "   "})
    assert response.status_code == 422 and "Type an answer." in response.content.decode()
    assert not Answer.objects.exists()


def test_oversized_body_is_refused(learner_client, learner, bank):
    quiz = start(learner, kind="short")
    response = answer(learner_client, quiz, first_item(quiz).question, {"text": "x" * 300_000})
    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("status", ["finished", "abandoned"])
def test_answer_to_a_closed_quiz_is_refused(htmx_client, learner, bank, status):
    quiz = start(learner)
    Quiz.objects.filter(pk=quiz.pk).update(status=status)
    question = first_item(quiz).question
    response = answer(htmx_client, quiz, question, right_answer(question))
    assert response.status_code == 409
    assert "This quiz is finished" in response.content.decode()
    assert not Answer.objects.exists()


def test_another_users_quiz_is_404_for_every_url(other_client, learner, bank):
    quiz = start(learner)
    question = first_item(quiz).question
    assert other_client.get(url(quiz)).status_code == 404
    assert answer(other_client, quiz, question, right_answer(question)).status_code == 404
    assert other_client.post(url(quiz), {"action": "submit"}).status_code == 404
    assert other_client.post(url(quiz), {"action": "abandon", "confirm": "1"}).status_code == 404
    assert other_client.get(url(quiz, "results")).status_code == 404
    assert other_client.post(url(quiz, "results"), {"action": "retry"}).status_code == 404
    assert not Answer.objects.exists()


def test_unknown_action_is_a_400(learner_client, learner, bank):
    assert learner_client.post(url(start(learner)), {"action": "cheat"}).status_code == 400


def test_abandon_needs_a_confirmation(learner_client, learner, bank):
    quiz = start(learner)
    response = learner_client.post(url(quiz), {"action": "abandon"}, follow=True)
    assert "The quiz was not abandoned" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.status == "in_progress"
    page = learner_client.get(url(quiz)).content.decode()
    assert "<summary>Abandon this quiz</summary>" in page and "Yes, abandon this quiz" in page
    learner_client.post(url(quiz), {"action": "abandon", "confirm": "1"})
    quiz.refresh_from_db()
    assert quiz.status == "abandoned"


# Exam mode


def test_exam_gives_no_feedback_and_allows_changes_until_submitted(htmx_client, learner, bank):
    quiz = start(learner, mode="exam", kind="single")
    question = first_item(quiz).question
    page = answer(htmx_client, quiz, question, wrong_answer(question)).content.decode()
    assert "Answer saved." in page and "✓ Correct" not in page and "✗" not in page
    answer(htmx_client, quiz, question, right_answer(question))
    stored = Answer.objects.get(quiz=quiz)
    assert stored.is_correct
    quiz.refresh_from_db()
    assert (quiz.answered_count, quiz.correct_count, quiz.status) == (1, 1, "in_progress")


def test_exam_palette_and_flags(learner_client, learner, bank):
    quiz = start(learner, mode="exam", size=6)
    learner_client.post(url(quiz), {"action": "flag", "position": 3, "flagged": "1"})
    assert quiz.items.get(position=3).flagged
    page = learner_client.get(url(quiz), {"q": 3}).content.decode()
    assert 'aria-label="Question 3, not answered, flagged"' in page
    assert quiz.items.get(position=3).question.prompt in page


def test_exam_submit_warns_about_unanswered_questions(learner_client, learner, bank):
    quiz = start(learner, mode="exam", size=5)
    response = learner_client.post(url(quiz), {"action": "submit"})
    assert "You have 5 unanswered questions" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.is_open
    response = learner_client.post(url(quiz), {"action": "submit", "confirm": "1"})
    assert response["Location"] == url(quiz, "results")
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.score_percent == 0


def test_exam_answer_after_the_deadline_is_refused_and_the_exam_finishes(htmx_client, learner, bank):
    quiz = start(learner, mode="exam", kind="single", time_limit_seconds=60)
    items = list(quiz.items.select_related("question"))
    with time_machine.travel(timezone.now() + timedelta(seconds=63)):  # inside the grace period
        assert answer(htmx_client, quiz, items[0].question, right_answer(items[0].question)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=70)):
        response = answer(htmx_client, quiz, items[1].question, right_answer(items[1].question))
    assert response.status_code == 409
    assert "Time is up" in response.content.decode()
    assert Answer.objects.filter(quiz=quiz).count() == 1
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.correct_count == 1


def test_exam_page_after_the_deadline_goes_to_results(learner_client, learner, bank):
    quiz = start(learner, mode="exam", time_limit_seconds=60)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        response = learner_client.get(url(quiz))
    assert response["Location"] == url(quiz, "results")


# Interview mode


def test_interview_reveal_then_rate(htmx_client, learner, bank):
    quiz = start(learner, mode="interview", per_question_seconds=120)
    question = first_item(quiz).question
    page = htmx_client.get(url(quiz)).content.decode()
    assert "Reveal the model answer" in page and 'data-seconds-left="120"' in page
    page = answer(htmx_client, quiz, question, {"text": "Autograd records a graph."}).content.decode()
    assert "Which key points did you cover?" in page and "First point" in page
    stored = Answer.objects.get(quiz=quiz)
    assert stored.is_correct is None and stored.text == "Autograd records a graph."
    response = htmx_client.post(url(quiz), {"action": "rate", "question": question.pk, "rating": "good", "points": [1]})
    assert "You rated yourself: Good" in response.content.decode()
    stored.refresh_from_db()
    assert (stored.self_rating, stored.covered_points, stored.is_correct) == ("good", [1], True)
    htmx_client.post(url(quiz), {"action": "rate", "question": question.pk, "rating": "again"})
    stored.refresh_from_db()
    assert stored.self_rating == "good"
    quiz.refresh_from_db()
    assert (quiz.answered_count, quiz.correct_count) == (1, 1)


def test_interview_bad_rating_is_refused(htmx_client, learner, bank):
    quiz = start(learner, mode="interview")
    question = first_item(quiz).question
    answer(htmx_client, quiz, question, {"text": ""})
    response = htmx_client.post(url(quiz), {"action": "rate", "question": question.pk, "rating": "perfect"})
    assert response.status_code == 422 and "Choose Again, Hard, Good or Easy." in response.content.decode()
    assert Answer.objects.get(quiz=quiz).self_rating == ""


def test_rating_before_reveal_is_refused(htmx_client, learner, bank):
    quiz = start(learner, mode="interview")
    question = first_item(quiz).question
    response = htmx_client.post(url(quiz), {"action": "rate", "question": question.pk, "rating": "good"})
    assert response.status_code == 422 and "Reveal the model answer" in response.content.decode()


# Results


def finish_half_right(client, quiz):
    for n, item in enumerate(quiz.items.select_related("question")):
        answer(client, quiz, item.question, right_answer(item.question) if n % 2 else wrong_answer(item.question))


def test_results_show_score_topics_and_every_question(learner_client, learner, bank):
    quiz = start(learner, size=6)
    finish_half_right(learner_client, quiz)
    page = learner_client.get(url(quiz, "results")).content.decode()
    assert "You scored 3 out of 6 (50%)" in page
    assert "By topic" in page and '<th scope="row">' in page
    for item in quiz.items.select_related("question"):
        assert item.question.prompt in page
    assert "Retry the 3 missed questions" in page


def test_retry_missed_makes_a_quiz_of_the_missed_ones(learner_client, learner, bank):
    quiz = start(learner, size=6)
    finish_half_right(learner_client, quiz)
    missed = set(Answer.objects.filter(quiz=quiz, is_correct=False).values_list("question_id", flat=True))
    response = learner_client.post(url(quiz, "results"), {"action": "retry"})
    retry = Quiz.objects.get(source=quiz)
    assert response["Location"] == url(retry)
    assert set(retry.items.values_list("question_id", flat=True)) == missed


def test_results_of_an_unfinished_quiz_go_back_to_it(learner_client, learner, bank):
    quiz = start(learner)
    assert learner_client.get(url(quiz, "results"))["Location"] == url(quiz)


# Query budgets


@pytest.mark.parametrize("size", [5, 50])
def test_query_budgets(learner_client, learner, django_assert_max_num_queries, size):
    topic = make_topic()
    for i in range(size):
        make_question(topic, kind=["single", "multiple", "true_false", "short"][i % 4])
    quiz = start(learner, size=size)
    # Session, user, the current question; the first time also its content and choices (then kept
    # by the worker) and the due count (then kept for the badge, by the same statement).
    with django_assert_max_num_queries(6):
        assert learner_client.get(url(quiz)).status_code == 200
    with django_assert_max_num_queries(3):
        assert learner_client.get(url(quiz)).status_code == 200
    items = list(quiz.items.select_related("question").prefetch_related("question__choices"))
    # An answer is read and graded (session, user, question with card), then a transaction only
    # writes: card upsert and review, answer, journal, quiz count and its read-back, with BEGIN and
    # COMMIT. The first also clears the kept due count.
    first, *middle, last = items
    with django_assert_max_num_queries(12):
        answer(learner_client, quiz, first.question, right_answer(first.question))
    for item in middle:
        with django_assert_max_num_queries(6):  # a question met for the first time; the due count again
            assert learner_client.get(url(quiz)).status_code == 200
        with django_assert_max_num_queries(12):  # and clears the due count that page kept
            answer(learner_client, quiz, item.question, right_answer(item.question))
    learner_client.get(url(quiz))
    with django_assert_max_num_queries(14):  # the last answer also finishes the quiz, and lands in the journal
        answer(learner_client, quiz, last.question, wrong_answer(last.question))
    with django_assert_max_num_queries(12):
        assert learner_client.get(url(quiz, "results")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_htmx_core_loop_query_budget(htmx_client, learner, django_assert_max_num_queries, size):
    """The loop as learners run it: the card swapped in, answered, the next card, with nothing in
    between that counts reviews for the navigation; the same at any quiz or bank size."""
    topic = make_topic()
    for i in range(size):
        make_question(topic, kind=["single", "multiple", "true_false", "short"][i % 4])
    quiz = start(learner, size=size)
    items = list(quiz.items.select_related("question").prefetch_related("question__choices"))
    for item in items[:-1]:
        # Session, user, the current question; a question the worker has not met yet: its content
        # and choices too (then kept).
        with django_assert_max_num_queries(5):
            assert htmx_client.get(url(quiz)).status_code == 200
        with django_assert_max_num_queries(3):
            assert htmx_client.get(url(quiz)).status_code == 200
        # Session, user, the question with the learner's card; BEGIN, the card's insert and review,
        # the answer, the journal, the quiz's count; COMMIT.
        with django_assert_max_num_queries(10):
            response = answer(htmx_client, quiz, item.question, right_answer(item.question))
        assert response.status_code == 200 and 'data-state="feedback"' in response.content.decode()
    htmx_client.get(url(quiz))
    with django_assert_max_num_queries(12):  # wrong, so also in the journal; and the quiz finishes
        answer(htmx_client, quiz, items[-1].question, wrong_answer(items[-1].question))
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.answered_count == size


def exam_of_single_questions(learner, size):
    topic = make_topic()
    for _ in range(size):
        make_question(topic, kind="single")
    return start(learner, mode="exam", size=size)


@pytest.mark.parametrize("size", [5, 50])
def test_exam_answer_query_budget(htmx_client, learner, django_assert_max_num_queries, size):
    quiz = exam_of_single_questions(learner, size)
    items = list(quiz.items.select_related("question").prefetch_related("question__choices"))
    # Read and grade; under the lock (PostgreSQL locks the quiz row first, one more): the question
    # and any stored answer, the insert (or the change) and the count; then the exam page's questions.
    budget = 9 if connection.vendor == "sqlite" else 10
    for item in items[:3]:
        htmx_client.get(url(quiz), {"q": item.position})  # the worker meets the question
        with django_assert_max_num_queries(budget):
            assert answer(htmx_client, quiz, item.question, right_answer(item.question)).status_code == 200
        with django_assert_max_num_queries(budget):  # a changed answer replaces the stored one
            assert answer(htmx_client, quiz, item.question, wrong_answer(item.question)).status_code == 200
    assert quiz.answers.count() == 3


@pytest.mark.parametrize("size", [5, 50])
def test_exam_page_query_budget(learner_client, learner, django_assert_max_num_queries, size):
    quiz = exam_of_single_questions(learner, size)
    with django_assert_max_num_queries(9):  # with the due count, kept in the session (3 statements)
        assert learner_client.get(url(quiz), {"q": 2}).status_code == 200
    with django_assert_max_num_queries(5):  # session, user, quiz, its questions, the shown one's choices
        assert learner_client.get(url(quiz), {"q": 3}).status_code == 200


def test_htmx_answer_passes_csrf_with_the_header(learner, bank):
    quiz = start(learner, kind="single")
    question = first_item(quiz).question
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(url(quiz))
    token = client.cookies["csrftoken"].value
    response = answer(client, quiz, question, right_answer(question), **{"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    assert QuizQuestion.objects.filter(quiz=quiz).count() == 5


def test_feedback_for_the_answer_that_ends_the_quiz_without_javascript(learner_client, learner, bank):
    quiz = start(learner, size=5)
    items = list(quiz.items.select_related("question"))
    for item in items:
        response = answer(learner_client, quiz, item.question, right_answer(item.question))
    page = learner_client.get(response["Location"]).content.decode()
    assert "✓ Correct" in page and "See your results" in page


@pytest.mark.parametrize(
    ("preset", "message"),
    [("bookmarks", "You have no bookmarked questions yet"), ("missed", "Nothing to practise")],
)
def test_empty_preset_is_explained_without_builder_errors(learner_client, bank, preset, message):
    response = learner_client.post(NEW, {"preset": preset})
    page = response.content.decode()
    assert response.status_code == 422 and message in page
    assert "This field is required" not in page
    assert not Quiz.objects.exists()


# Ids out of any column's range


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "0"])
def test_quiz_ids_beyond_a_database_integer_are_404(learner_client, learner, bank, number):
    for path in (f"/quiz/{number}/", f"/quiz/{number}/results/"):
        assert learner_client.get(path).status_code == 404
        assert learner_client.post(path, {"action": "answer", "question": bank[0].pk}).status_code == 404
    assert not Answer.objects.exists()


def test_the_largest_database_id_is_an_ordinary_404(learner_client, learner, bank):
    assert learner_client.get("/quiz/9223372036854775807/").status_code == 404
    assert learner_client.post("/quiz/9223372036854775807/", {"action": "abandon"}).status_code == 404


def test_retrying_a_retry_keeps_one_prefix_within_the_title_column(learner_client, learner, bank):
    quiz = start(learner, size=5)
    Quiz.objects.filter(pk=quiz.pk).update(title="A" * 120)
    for _ in range(3):
        for item in quiz.items.select_related("question"):
            answer(learner_client, quiz, item.question, wrong_answer(item.question))
        learner_client.post(url(quiz, "results"), {"action": "retry"})
        quiz = Quiz.objects.get(source=quiz)
        assert quiz.title == ("Retry: " + "A" * 120)[:120]


@pytest.mark.parametrize("kind", ["single", "true_false"])
def test_two_values_for_a_one_answer_question_are_refused(htmx_client, learner, bank, kind):
    quiz = start(learner, kind=kind)
    question = first_item(quiz).question
    wrong, right = wrong_answer(question)["choice"], right_answer(question)["choice"]
    response = answer(htmx_client, quiz, question, {"choice": [wrong, right]})
    assert response.status_code == 422
    assert "Choose exactly one answer." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_repeated_choice_on_a_multiple_answer_question_is_refused(htmx_client, learner, bank):
    quiz = start(learner, kind="multiple")
    question = first_item(quiz).question
    right = right_answer(question)["choice"]
    response = answer(htmx_client, quiz, question, {"choice": right + [right[0]] * 900})
    assert response.status_code == 422
    assert "Choose each answer at most once." in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_typed_answer_is_graded_before_the_write_transaction_opens(learner, bank, monkeypatch):
    from interviews import quizzes

    in_transaction = []
    grade_short = quizzes.grade_short

    def watched(*args, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return grade_short(*args, **kwargs)

    monkeypatch.setattr(quizzes, "grade_short", watched)
    quiz = start(learner, kind="short")
    client = Client(headers={"HX-Request": "true"})
    client.force_login(learner)
    response = answer(client, quiz, first_item(quiz).question, {"text": "backward"})
    assert "✓ Correct" in response.content.decode()
    assert in_transaction == [False]
    assert Answer.objects.get(quiz=quiz).is_correct


# Questions a curator withdraws while a quiz is under way


def test_a_withdrawn_question_is_skipped_with_the_reason_and_the_quiz_still_finishes(learner_client, learner, bank):
    quiz = start(learner, size=5, kind="single")
    items = list(quiz.items.select_related("question"))
    answer(learner_client, quiz, items[0].question, right_answer(items[0].question))
    items[1].question.archive()
    items[2].question.unpublish()
    page = learner_client.get(url(quiz)).content.decode()
    assert "Questions 2 and 3 were skipped. A curator withdrew them" in page
    assert items[3].question.prompt in page
    response = answer(
        learner_client, quiz, items[1].question, right_answer(items[1].question), **{"HX-Request": "true"}
    )
    assert "This question was skipped. A curator withdrew it" in response.content.decode()
    assert Answer.objects.filter(quiz=quiz).count() == 1
    for item in items[3:]:
        answer(learner_client, quiz, item.question, right_answer(item.question))
    quiz.refresh_from_db()
    assert (quiz.status, quiz.skipped_count, quiz.score_percent) == ("finished", 2, 100)
    results = learner_client.get(url(quiz, "results")).content.decode()
    assert "You scored 3 out of 3 (100%)" in results
    assert results.count("Skipped: withdrawn by a curator, not counted") == 2
    assert "Retry the" not in results


def test_an_answer_to_a_question_withdrawn_while_on_screen_is_refused_and_can_end_the_quiz(htmx_client, learner, bank):
    quiz = start(learner, size=5, kind="short")
    items = list(quiz.items.select_related("question"))
    for item in items[:4]:
        answer(htmx_client, quiz, item.question, right_answer(item.question))
    items[4].question.archive()
    response = answer(htmx_client, quiz, items[4].question, right_answer(items[4].question))
    page = response.content.decode()
    assert "This question was skipped. A curator withdrew it" in page and "See your results" in page
    assert not Answer.objects.filter(item=items[4]).exists()
    quiz.refresh_from_db()
    assert (quiz.status, quiz.score_percent) == ("finished", 100)


def test_the_last_question_withdrawn_sends_the_learner_to_the_results(htmx_client, learner, bank):
    quiz = start(learner, size=5, kind="single")
    items = list(quiz.items.select_related("question"))
    for item in items[:4]:
        answer(htmx_client, quiz, item.question, wrong_answer(item.question))
    items[4].question.archive()
    response = htmx_client.get(url(quiz))
    assert response["HX-Redirect"] == url(quiz, "results")
    quiz.refresh_from_db()
    assert (quiz.status, quiz.skipped_count, quiz.score_percent) == ("finished", 1, 0)


def test_a_withdrawn_exam_question_says_why_and_is_not_counted(learner_client, learner, bank):
    quiz = start(learner, mode="exam", size=5, kind="single")
    items = list(quiz.items.select_related("question"))
    answer(learner_client, quiz, items[0].question, right_answer(items[0].question))
    items[1].question.archive()
    page = learner_client.get(url(quiz), {"q": 2}).content.decode()
    assert "This question was skipped. A curator withdrew it" in page and "Save answer" not in page
    answer(learner_client, quiz, items[1].question, right_answer(items[1].question))
    learner_client.post(url(quiz), {"action": "submit", "confirm": "1"})
    quiz.refresh_from_db()
    assert (quiz.status, quiz.skipped_count, quiz.correct_count, quiz.score_percent) == ("finished", 1, 1, 25)
    assert Answer.objects.filter(quiz=quiz).count() == 1


def test_exam_submit_warns_about_flagged_questions_too(learner_client, learner, bank):
    quiz = start(learner, mode="exam", kind="single", size=5)
    for item in quiz.items.select_related("question"):
        answer(learner_client, quiz, item.question, right_answer(item.question))
    learner_client.post(url(quiz), {"action": "flag", "position": 2, "flagged": "1"})
    page = learner_client.post(url(quiz), {"action": "submit"}).content.decode()
    assert "You have 1 question flagged for later. Submit anyway, or go back to it." in page
    assert "Submit anyway</button>" in page and "1 flagged for later." in page
    quiz.refresh_from_db()
    assert quiz.is_open
    assert learner_client.post(url(quiz), {"action": "submit", "confirm": "1"})["Location"] == url(quiz, "results")


def test_exam_submit_warning_names_both(learner_client, learner, bank):
    quiz = start(learner, mode="exam", size=5)
    learner_client.post(url(quiz), {"action": "flag", "position": 1, "flagged": "1"})
    page = learner_client.post(url(quiz), {"action": "submit"}).content.decode()
    assert "You have 5 unanswered questions and 1 question flagged for later." in page


def test_exam_without_unanswered_or_flagged_submits_at_once(learner_client, learner, bank):
    quiz = start(learner, mode="exam", kind="single", size=5)
    for item in quiz.items.select_related("question"):
        answer(learner_client, quiz, item.question, right_answer(item.question))
    assert learner_client.post(url(quiz), {"action": "submit"})["Location"] == url(quiz, "results")


def test_builder_says_the_size_limits_before_any_error(learner_client):
    page = learner_client.get(reverse("interviews:quiz-new")).content.decode()
    assert 'id="id_size_helptext">From 5 to 50.' in page
    assert 'aria-describedby="id_size_helptext"' in page and 'min="5"' in page and 'max="50"' in page
