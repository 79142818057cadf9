"""No page is wider than a 390 px phone: every published question, and the learner's own pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Question, ReviewCard
from tests.browser.pages import LONG_PROMPTS, finished_quiz, load_bank, quiz_of

PHONE = {"width": 390, "height": 844}


def overflow(page, url):
    """How many pixels `url` is wider than the viewport, with every disclosure opened."""
    page.goto(url)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def phone(signed_in_page):
    signed_in_page.set_viewport_size(PHONE)
    return signed_in_page


def test_no_question_page_is_wider_than_a_phone(phone, live_server):
    load_bank()
    slugs = list(Question.objects.published().values_list("slug", flat=True))
    assert set(LONG_PROMPTS) <= set(slugs) and len(slugs) > 100
    wide = {slug: px for slug in slugs if (px := overflow(phone, f"{live_server.url}/questions/{slug}/")) > 0}
    assert wide == {}


def test_quiz_results_dashboard_and_review_fit_a_phone(phone, live_server, learner):
    load_bank()
    results = finished_quiz(learner)
    ReviewCard.objects.filter(user=learner).update(due=timezone.now() - timedelta(days=1))
    open_quiz = quiz_of(learner, ["variable-returns-tensor"], kinds=["single"])
    pages = [
        open_quiz.get_absolute_url(),
        f"/quiz/{results.pk}/results/",
        "/dashboard/",
        "/review/",
        "/",
        "/questions/?q=tensor",
        "/quiz/new/",
        "/bookmarks/",
        "/accounts/",
    ]
    wide = {url: px for url in pages if (px := overflow(phone, live_server.url + url)) > 0}
    assert wide == {}
    # The question's feedback, with its long prompt and every choice's explanation.
    phone.goto(live_server.url + open_quiz.get_absolute_url())
    phone.locator("#question-card").get_by_role("radio").first.check()
    phone.get_by_role("button", name="Check answer").click()
    phone.get_by_role("status").first.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_revealed_answer_keeps_most_of_a_phone_screen(phone, live_server):
    load_bank()
    question = Question.objects.published().filter(kind="multiple").first()
    phone.goto(live_server.url + question.get_absolute_url())
    phone.get_by_text("Reveal the answer", exact=True).click()
    choice = phone.locator("#answer li.correct").first
    assert choice.bounding_box()["width"] >= 300  # it was about 180 px inside the nested boxes
