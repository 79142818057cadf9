"""Spaced review in a real browser: answered questions come back, the review clears them."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Question, ReviewCard
from interviews.quizzes import create_quiz
from tests.browser.conftest import screenshot
from tests.factories import make_question, make_topic


def test_answered_questions_come_back_and_the_review_clears_them(signed_in_page, live_server, learner):
    topic = make_topic()
    questions = [make_question(topic, kind="single", prompt=f"Review question {n}?") for n in range(3)]
    quiz = create_quiz(
        user=learner,
        questions=Question.objects.filter(pk__in=[q.pk for q in questions]),
        mode="practice",
        size=3,
        title="Warm-up",
        now=timezone.now(),
    )
    page = signed_in_page
    page.goto(live_server.url + quiz.get_absolute_url())
    for number in range(1, 4):
        expect(page.get_by_text(f"Question {number} of 3")).to_be_visible()
        page.get_by_role("radio", name=re.compile("Right")).check()
        page.get_by_role("button", name=re.compile("Check answer")).click()
        expect(page.get_by_text("✓ Correct")).to_be_visible()
        if number < 3:
            page.get_by_role("link", name=re.compile("Next question")).click()
    assert ReviewCard.objects.filter(user=learner, reps=1).count() == 3

    # Time moves on (injected into the server and the test alike): the cards fall due.
    latest_due = max(ReviewCard.objects.filter(user=learner).values_list("due", flat=True))
    with time_machine.travel(latest_due + timedelta(hours=1)):
        page.goto(live_server.url + "/")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name=re.compile(r"Review\s+3"))).to_be_visible()
        expect(page.get_by_role("heading", name="Due today")).to_be_visible()
        screenshot(page, "home-due")
        nav.get_by_role("link", name=re.compile("Review")).click()
        expect(page.get_by_text("3 questions due for review", exact=False)).to_be_visible()
        screenshot(page, "review")
        page.get_by_role("button", name="Start review (3)").click()
        for number in range(1, 4):
            expect(page.get_by_text(f"Question {number} of 3")).to_be_visible()
            page.get_by_role("radio", name=re.compile("Right")).check()
            page.get_by_role("button", name=re.compile("Check answer")).click()
            expect(page.get_by_text("✓ Correct")).to_be_visible()
            page.get_by_role("link", name=re.compile("Next question|See your results")).click()
        expect(page.get_by_role("heading", name=re.compile("You scored 3 out of 3"))).to_be_visible()
        assert ReviewCard.objects.filter(user=learner, reps=2).count() == 3
        page.goto(live_server.url + "/review/")
        expect(page.get_by_text("Nothing is due right now")).to_be_visible()
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Review", exact=True)
        ).to_be_visible()
