"""Home on a phone: a returning learner's first screen is their day, not the welcome text."""

from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import ReviewCard
from tests.browser.pages import finished_quiz, load_bank, quiz_of


def test_returning_learner_sees_due_unfinished_and_streak_on_the_first_phone_screen(
    signed_in_page, live_server, learner
):
    load_bank()
    finished_quiz(learner)
    ReviewCard.objects.filter(user=learner).update(due=timezone.now())
    quiz_of(learner, title="Half-done quiz")
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    for name in ("Due today", "Continue where you left off", "Your streak"):
        heading = page.get_by_role("heading", name=name)
        expect(heading).to_be_in_viewport()
    expect(page.get_by_role("link", name="Review now")).to_be_in_viewport()
    expect(page.get_by_text("1 day in a row")).to_be_visible()
    due_on_home = page.locator(".due-summary").inner_text()
    page.goto(live_server.url + "/review/")
    assert page.locator(".due-summary").inner_text() == due_on_home  # one wording, the same counts
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Resume quiz").click()
    expect(page.get_by_role("heading", name="Half-done quiz")).to_be_visible()
