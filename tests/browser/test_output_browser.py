"""Predict-the-output questions and "I was right", as a learner meets them in the browser."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Answer, Question
from interviews.quizzes import create_quiz
from tests.browser.conftest import log_in, screenshot

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def bank(db):
    call_command("load_question_bank", verbosity=0)


def output_quiz(user, size=5):
    outputs = Question.objects.published().filter(kind="output").order_by("slug")[:size]
    return create_quiz(
        user=user,
        questions=Question.objects.filter(pk__in=[q.pk for q in outputs]),
        mode="practice",
        size=size,
        title="Predict the output",
        now=timezone.now(),
    )


def test_predict_the_output_then_claim_i_was_right(signed_in_page, live_server, learner, bank):
    page = signed_in_page
    quiz = output_quiz(learner)
    page.goto(live_server.url + quiz.get_absolute_url())
    card = page.locator("#question-card")
    expect(card.locator("pre code").first).to_be_visible()  # the snippet to read
    box = card.get_by_role("textbox", name=re.compile("What it prints"))
    box.fill("something else entirely")
    card.get_by_role("button", name=re.compile("Check answer")).click()
    status = card.get_by_role("status")
    expect(status).to_contain_text("Not quite")
    expect(status).to_contain_text("It prints:")
    card.get_by_role("button", name="I was right").click()
    expect(card.get_by_text("You marked it right")).to_be_visible()
    answer = Answer.objects.get(quiz=quiz)
    assert answer.is_correct and answer.overridden

    # The next one, answered right with the key's own spelling.
    card.get_by_role("link", name=re.compile("Next question")).click()
    item = quiz.items.exclude(answer__isnull=False).select_related("question").first()
    key = item.question.accepted_answers.first().text
    card.get_by_role("textbox", name=re.compile("What it prints")).fill(key)
    card.get_by_role("button", name=re.compile("Check answer")).click()
    expect(card.get_by_role("status")).to_contain_text("Correct")
    expect(card.get_by_role("button", name="I was right")).to_have_count(0)


def test_output_question_and_feedback_screenshots(browser, live_server, learner, bank):
    quiz = output_quiz(learner)
    item = quiz.items.select_related("question").first()
    for scheme in ("light", "dark"):
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            log_in(context, learner, live_server)
            page = context.new_page()
            page.goto(live_server.url + quiz.get_absolute_url())
            if not Answer.objects.filter(item=item).exists():
                card = page.locator("#question-card")
                screenshot(page, f"output-question-{name}-{scheme}")
                card.get_by_role("textbox").fill("(2, 3)")
                card.get_by_role("button", name=re.compile("Check answer")).click()
                expect(card.get_by_role("status")).to_be_visible()
            else:
                page.goto(f"{live_server.url}{quiz.get_absolute_url()}?answered={item.position}")
            screenshot(page, f"output-feedback-{name}-{scheme}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name} {scheme}: the page is {width}px wide"
            context.close()


def test_question_page_choices_stay_in_place_on_reload(signed_in_page, live_server, bank):
    page = signed_in_page
    question = Question.objects.published().filter(kind="single").order_by("slug").first()
    page.goto(live_server.url + question.get_absolute_url())
    first = page.locator(".choice-list").first.inner_text()
    page.reload()
    assert page.locator(".choice-list").first.inner_text() == first
