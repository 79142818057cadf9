"""Taking quizzes in a real browser: mouse, keyboard only, exam clock, interview rating, no JavaScript."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Answer, Question, Quiz
from interviews.quizzes import create_quiz, pool_for_mode
from tests.browser.conftest import log_in, screenshot


@pytest.fixture
def bank(db):
    call_command("load_question_bank", verbosity=0)


def build_quiz_in_the_builder(page, live_server, *, mode_label="Practice", size="5"):
    page.goto(live_server.url + "/quiz/new/")
    page.get_by_label("Number of questions").fill(size)
    page.get_by_role("radio", name=re.compile(f"{mode_label}:")).check()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_text(re.compile(r"Question 1 of \d+"))).to_be_visible()


def answer_current_question_with_the_mouse(page):
    card = page.locator("#question-card")
    text_box = card.get_by_role("textbox")
    if text_box.count():
        text_box.fill("backward")
    else:
        card.get_by_role("radio").or_(card.get_by_role("checkbox")).first.check()
    card.get_by_role("button", name=re.compile("Check answer")).click()
    expect(card.get_by_role("status")).to_contain_text(re.compile("Correct|Not quite"))


def test_practice_quiz_with_the_mouse(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    build_quiz_in_the_builder(page, live_server)
    screenshot(page, "quiz-question")
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        answer_current_question_with_the_mouse(page)
        if number == 1:
            screenshot(page, "quiz-feedback")
        if number < 5:
            page.get_by_role("link", name=re.compile("Next question")).click()
    page.get_by_role("link", name=re.compile("See your results")).click()
    expect(page.get_by_role("heading", name=re.compile(r"You scored \d out of 5"))).to_be_visible()
    screenshot(page, "quiz-results")
    assert Answer.objects.filter(user=learner).count() == 5
    assert Quiz.objects.get(user=learner).status == "finished"


def test_practice_quiz_with_only_the_keyboard(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    quiz = create_quiz(
        user=learner,
        questions=pool_for_mode(Question.objects.published(), "practice", ["single", "true_false"]),
        mode="practice",
        size=5,
        title="Keyboard quiz",
        now=timezone.now(),
    )
    page.goto(live_server.url + quiz.get_absolute_url())
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        # Focus starts on the question; number keys pick, Enter submits, N goes on.
        page.keyboard.press("1")
        expect(page.locator("#question-card").get_by_role("radio").first).to_be_checked()
        page.keyboard.press("Enter")
        feedback = page.locator("#question-card").get_by_role("status")
        expect(feedback).to_contain_text(re.compile("Correct|Not quite"))
        expect(feedback).to_be_focused()
        page.keyboard.press("n")
    expect(page.get_by_role("heading", name=re.compile(r"You scored \d out of 5"))).to_be_visible()
    assert Answer.objects.filter(quiz=quiz).count() == 5


def test_exam_ends_on_its_time_limit(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    quiz = create_quiz(
        user=learner,
        questions=pool_for_mode(Question.objects.published(), "exam", ["single"]),
        mode="exam",
        size=5,
        title="Timed exam",
        now=timezone.now(),
        time_limit_seconds=120,
    )
    page.clock.install()
    page.goto(live_server.url + quiz.get_absolute_url())
    expect(page.get_by_text("Time left:")).to_be_visible()
    card = page.locator("#question-card")
    card.get_by_role("radio").first.check()
    card.get_by_role("button", name=re.compile("Save answer")).click()
    expect(card.get_by_role("status")).to_contain_text("Answer saved.")
    expect(page.get_by_role("link", name="Question 1, answered")).to_be_visible()
    page.get_by_role("button", name="⚐ Flag for later").click()
    expect(page.get_by_role("link", name="Question 1, answered, flagged")).to_be_visible()
    screenshot(page, "exam")
    page.clock.fast_forward("02:01")  # the page's clock reaches zero and submits the exam itself
    expect(page.get_by_role("heading", name=re.compile(r"You scored \d out of 5"))).to_be_visible()
    quiz.refresh_from_db()
    assert quiz.status == "finished" and quiz.answered_count == 1


def test_interview_question_rated(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    build_quiz_in_the_builder(page, live_server, mode_label="Interview")
    card = page.locator("#question-card")
    card.get_by_label("Your answer (optional)").fill("Tensors are n-dimensional arrays with autograd.")
    card.get_by_role("button", name=re.compile("Reveal the model answer")).click()
    expect(card.get_by_role("heading", name="Model answer")).to_be_visible()
    card.get_by_role("checkbox").first.check()
    screenshot(page, "interview-rating")
    card.get_by_role("button", name=re.compile("^Good")).click()
    expect(card.get_by_text("You rated yourself: Good")).to_be_visible()
    answer = Answer.objects.get(user=learner)
    assert answer.self_rating == "good" and answer.covered_points == [0] and answer.is_correct


@pytest.fixture
def no_js_page(browser, live_server, learner):
    context = browser.new_context(java_script_enabled=False)
    log_in(context, learner, live_server)
    yield context.new_page()
    context.close()


def test_practice_quiz_without_javascript(no_js_page, live_server, learner, bank):
    page = no_js_page
    build_quiz_in_the_builder(page, live_server)
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        answer_current_question_with_the_mouse(page)
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    expect(page.get_by_role("heading", name=re.compile(r"You scored \d out of 5"))).to_be_visible()
    assert Answer.objects.filter(user=learner).count() == 5


def test_answer_box_or_first_choice_has_focus_on_load_and_after_each_swap(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    shorts = Question.objects.published().filter(kind="short").order_by("slug")[:2]
    choice = Question.objects.published().filter(kind="single").order_by("slug")[:1]
    quiz = create_quiz(
        user=learner,
        questions=Question.objects.filter(pk__in=[q.pk for q in [*shorts, *choice]]),
        mode="practice",
        size=3,
        title="Focus quiz",
        now=timezone.now(),
    )
    card = page.locator("#question-card")
    page.goto(live_server.url + quiz.get_absolute_url())  # a full page load
    for number in range(1, 4):
        expect(page.get_by_text(f"Question {number} of 3")).to_be_visible()
        item = quiz.items.get(position=number)
        if item.question.kind == "short":
            box = card.get_by_role("textbox", name="Your answer")
            expect(box).to_be_focused()
            page.keyboard.type("backward")  # nothing typed is lost
            expect(box).to_have_value("backward")
        else:
            expect(card.get_by_role("radio").first).to_be_focused()
            page.keyboard.press("1")
        page.keyboard.press("Enter")
        expect(card.get_by_role("status")).to_contain_text(re.compile("Correct|Not quite"))
        if number < 3:
            page.keyboard.press("n")  # the next question is swapped in


def test_exam_warns_about_flagged_questions_before_submitting(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    quiz = create_quiz(
        user=learner,
        questions=pool_for_mode(Question.objects.published(), "exam", ["single"]),
        mode="exam",
        size=5,
        title="Flagged exam",
        now=timezone.now(),
    )
    page.goto(live_server.url + quiz.get_absolute_url())
    card = page.locator("#question-card")
    for number in range(1, 6):
        expect(card.get_by_role("link", name=f"Question {number}, not answered")).to_have_attribute(
            "aria-current", "step"
        )
        card.get_by_role("radio").first.check()
        card.get_by_role("button", name=re.compile("Save answer")).click()
        expect(card.get_by_role("link", name=f"Question {number}, answered")).to_be_visible()
        if number == 3:
            card.get_by_role("button", name="⚐ Flag for later").click()
            expect(card.get_by_role("link", name="Question 3, answered, flagged")).to_be_visible()
        if number < 5:
            card.get_by_role("link", name=re.compile("^Next")).click()
    card.get_by_role("button", name="Submit exam").click()
    expect(page.get_by_text("You have 1 question flagged for later.")).to_be_visible()
    screenshot(page, "exam-submit-warning")
    quiz.refresh_from_db()
    assert quiz.is_open
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name=re.compile(r"You scored \d out of 5"))).to_be_visible()


def test_abandon_asks_first_without_javascript(no_js_page, live_server, learner, bank):
    page = no_js_page
    quiz = create_quiz(
        user=learner,
        questions=pool_for_mode(Question.objects.published(), "practice"),
        mode="practice",
        size=5,
        title="Abandoned quiz",
        now=timezone.now(),
    )
    page.goto(live_server.url + quiz.get_absolute_url())
    confirm = page.get_by_role("button", name="Yes, abandon this quiz")
    expect(confirm).to_be_hidden()
    page.get_by_text("Abandon this quiz", exact=True).click()
    expect(confirm).to_be_visible()
    quiz.refresh_from_db()
    assert quiz.is_open
    confirm.click()
    expect(page.get_by_text("Quiz abandoned.")).to_be_visible()
    quiz.refresh_from_db()
    assert quiz.status == "abandoned"


def test_builder_tells_the_size_limits_in_the_fields_description(signed_in_page, live_server, bank):
    page = signed_in_page
    page.goto(live_server.url + "/quiz/new/")
    size = page.get_by_label("Number of questions")
    expect(size).to_have_accessible_description(re.compile("^From 5 to 50."))
    expect(page.get_by_text("From 5 to 50.")).to_be_visible()
