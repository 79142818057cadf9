"""axe-core on every page and partial state a learner or curator reaches, in light and dark."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Bookmark, Question, ReviewCard
from tests.browser.axe import blocking_violations
from tests.browser.conftest import log_in
from tests.browser.pages import finished_quiz, load_bank, quiz_of
from tests.conftest import make_user

DESKTOP = {"width": 1366, "height": 900}


class Checker:
    """Visits states one after another and keeps the blocking violations of each."""

    def __init__(self, page, base):
        self.page, self.base, self.found, self.checked = page, base, {}, []

    def go(self, url, name=None):
        self.page.goto(self.base + url)
        self.check(name or url)

    def report(self) -> str:
        return "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in self.found.items())

    def check(self, name):
        self.checked.append(name)
        if violations := blocking_violations(self.page):
            self.found[name] = violations


@pytest.fixture
def learner_with_history(db, learner):
    load_bank()
    finished_quiz(learner)
    ReviewCard.objects.filter(user=learner).update(due=timezone.now() - timedelta(hours=1))
    for question in Question.objects.published()[:3]:
        Bookmark.objects.get_or_create(user=learner, question=question)
    return learner


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_learner_pages_and_states(browser, live_server, learner_with_history, scheme):
    learner = learner_with_history
    context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
    log_in(context, learner, live_server)
    page = context.new_page()
    axe = Checker(page, live_server.url)
    card = page.locator("#question-card")

    for url in ["/", "/questions/", "/questions/?q=normalisation", "/questions/?q=zzzzz", "/bookmarks/", "/quiz/new/",
                "/review/", "/dashboard/", "/accounts/", f"/quiz/{learner.quizzes.get().pk}/results/"]:  # fmt: skip
        axe.go(url)

    question = Question.objects.published().filter(kind="single").first()
    axe.go(question.get_absolute_url(), "question page, answer closed")
    page.get_by_text("Reveal the answer", exact=True).click()
    axe.check("question page, answer revealed")

    practice = quiz_of(learner, kinds=["single"], title="Practice")
    axe.go(practice.get_absolute_url(), "quiz: a choice question")
    card.get_by_role("button", name=re.compile("Check answer")).click()
    expect(card.get_by_role("alert")).to_be_visible()
    axe.check("quiz: an answer refused (nothing chosen)")
    card.get_by_role("radio").first.check()
    card.get_by_role("button", name=re.compile("Check answer")).click()
    expect(card.get_by_role("status")).to_be_visible()
    axe.check("quiz: feedback on a choice")
    page.get_by_text("Abandon this quiz", exact=True).click()
    axe.check("quiz: abandon asks first")
    page.get_by_role("button", name="Yes, abandon this quiz").click()

    typed = quiz_of(learner, kinds=["short"], title="Typed")
    axe.go(typed.get_absolute_url(), "quiz: a short-answer question")
    card.get_by_role("textbox").fill("certainly wrong")
    card.get_by_role("button", name=re.compile("Check answer")).click()
    expect(card.get_by_role("button", name="I was right")).to_be_visible()
    axe.check("quiz: wrong typed answer with 'I was right'")

    interview = quiz_of(learner, mode="interview", title="Interview")
    axe.go(interview.get_absolute_url(), "interview: an open question")
    card.get_by_role("button", name=re.compile("Reveal the model answer")).click()
    expect(card.get_by_role("heading", name="Model answer")).to_be_visible()
    axe.check("interview: rating")
    card.get_by_role("button", name=re.compile("^Good")).click()
    expect(card.get_by_text("You rated yourself: Good")).to_be_visible()
    axe.check("interview: rated")

    exam = quiz_of(learner, mode="exam", kinds=["single"], title="Exam")
    axe.go(exam.get_absolute_url(), "exam: a question with the palette")
    card.get_by_role("radio").first.check()
    card.get_by_role("button", name=re.compile("Save answer")).click()
    expect(card.get_by_role("status")).to_contain_text("Answer saved.")
    card.get_by_role("button", name="⚐ Flag for later").click()
    expect(card.get_by_role("button", name="⚑ Flagged")).to_be_visible()
    axe.check("exam: answered and flagged")
    card.get_by_role("button", name="Submit exam").click()
    expect(page.get_by_role("button", name="Submit anyway")).to_be_visible()
    axe.check("exam: submit warning")
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", name=re.compile("You scored"))).to_be_visible()
    axe.check("exam: results")

    page.goto(live_server.url + "/review/")
    page.get_by_role("button", name=re.compile("Start review")).click()
    expect(card).to_be_visible()
    axe.check("review session question")
    context.close()
    assert len(axe.checked) > 20
    assert not axe.found, axe.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_out_and_curator_pages(browser, live_server, db, scheme):
    load_bank()
    context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
    page = context.new_page()
    axe = Checker(page, live_server.url)
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/no-such-page/"]:
        axe.go(url)
    curator = make_user("carol")
    call_command("make_curator", "carol")
    log_in(context, curator, live_server)
    question = Question.objects.get(slug="what-is-pytorch")
    axe.go(f"/admin/interviews/question/{question.pk}/change/", "admin change form")
    page.get_by_role("button", name="Preview unsaved changes").click()
    expect(page.get_by_text("Unsaved preview")).to_be_visible()
    axe.check("admin change form with the live preview")
    axe.go("/admin/interviews/question/add/", "admin add form")
    axe.go("/admin/interviews/question/", "admin question list")
    context.close()
    assert not axe.found, axe.report()
