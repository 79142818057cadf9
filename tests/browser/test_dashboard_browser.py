"""The dashboard in a real browser: range switch redraws the charts, data downloads, four screenshots."""

import json
import re
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Answer, Quiz, QuizQuestion
from tests.browser.conftest import log_in, screenshot
from tests.factories import make_question, make_topic


def give_history(user, days=120):
    topics = [make_topic("pytorch-core", "PyTorch core", 1), make_topic("cnns", "Convolutional networks", 5)]
    questions = [make_question(topics[n % 2]) for n in range(12)]
    now = timezone.now()
    for n in range(days):
        if n % 3 == 2:
            continue
        moment = now - timedelta(days=n)
        quiz = Quiz.objects.create(user=user, title="Practice quiz", mode="practice", status="finished", size=3,
                                   answered_count=3, correct_count=2, score_percent=67, finished_at=moment)  # fmt: skip
        for position, question in enumerate(questions[n % 4 : n % 4 + 3], 1):
            item = QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
            Answer.objects.create(quiz=quiz, item=item, question=question, user=user, question_version=1,
                                  is_correct=(n + position) % 3 != 0, time_taken_ms=20_000, answered_at=moment,
                                  local_day=moment.date())  # fmt: skip


def test_dashboard_range_switch_and_download(signed_in_page, live_server, learner, tmp_path):
    give_history(learner)
    page = signed_in_page
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    answered = page.locator(".stat", has_text="Questions answered").locator("dd")
    thirty_days = answered.inner_text()
    page.get_by_role("navigation", name="Time range").get_by_role("link", name="7 days").click()
    expect(page).to_have_url(re.compile(r"range=7"))
    expect(page.get_by_role("link", name="7 days")).to_have_attribute("aria-current", "true")
    expect(answered).not_to_have_text(thirty_days)
    page.get_by_role("link", name="All time").click()
    expect(page).to_have_url(re.compile(r"range=all"))
    expect(page.get_by_role("img", name=re.compile("^Answers per day from"))).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="All as JSON").click()
    path = tmp_path / "data.json"
    download_info.value.save_as(path)
    assert len(json.loads(path.read_text())["answers"]) == Answer.objects.filter(user=learner).count()


def test_dashboard_screenshots_light_dark_phone_desktop(browser, live_server, learner):
    give_history(learner, days=300)
    call_command("load_question_bank", verbosity=0)
    for scheme in ("light", "dark"):
        for name, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            log_in(context, learner, live_server)
            page = context.new_page()
            page.goto(live_server.url + "/dashboard/?range=90")
            expect(page.get_by_role("heading", name="Mastery by topic")).to_be_visible()
            screenshot(page, f"dashboard-{name}-{scheme}")
            context.close()


def test_empty_dashboard_explains_what_to_do(signed_in_page, live_server):
    page = signed_in_page
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text("Nothing to show yet")).to_be_visible()
    page.get_by_role("link", name="Take your first quiz").click()
    expect(page.get_by_role("heading", name="Start a quiz")).to_be_visible()
