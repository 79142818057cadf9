"""The question bank in a real browser: filter and search, reveal, bookmark, note, curate."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from interviews.models import Bookmark, Note, Question
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, make_user


def load_bank():
    call_command("load_question_bank", verbosity=0)


def test_filter_and_search_update_the_list_and_the_url(page, live_server, db):
    load_bank()
    page.goto(live_server.url + "/questions/")
    expect(page.get_by_text(re.compile(r"^\d{3} questions"))).to_be_visible()
    screenshot(page, "questions")
    page.get_by_label("Topic").select_option(label="Convolutional networks")
    expect(page).to_have_url(re.compile(r"topic=cnns"))
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name=re.compile("stride", re.I)).first).to_be_visible()
    page.get_by_label("Search").fill("max pooling")
    expect(page).to_have_url(re.compile(r"q=max\+pooling"))
    expect(results.get_by_role("link", name=re.compile("max pooling", re.I)).first).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("^What does stride", re.I))).to_have_count(0)
    page.get_by_label("Kind").select_option(label="Open (interview)")
    expect(page).to_have_url(re.compile(r"kind=open"))
    screenshot(page, "questions-filtered")


def test_reveal_bookmark_and_note_on_a_question(signed_in_page, live_server, learner):
    load_bank()
    page = signed_in_page
    page.goto(live_server.url + "/questions/what-is-pytorch/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    answer = page.locator("#answer .answer")
    expect(answer).to_be_hidden()
    page.get_by_text("Reveal the answer").click()
    expect(answer).to_be_visible()
    expect(page.get_by_role("heading", name="Key points a good answer covers")).to_be_visible()

    toggle = page.get_by_role("button", name=re.compile("Bookmark"))
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.get_by_role("button", name="★ Bookmarked")).to_have_attribute("aria-pressed", "true")
    assert Bookmark.objects.filter(user=learner).count() == 1

    page.get_by_label("Your private note").fill("Remember: **eager** by default.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status").filter(has_text="Note saved.")).to_be_visible()
    expect(page.locator("#note strong")).to_have_text("eager")
    assert Note.objects.get(user=learner).body == "Remember: **eager** by default."
    screenshot(page, "question-detail")

    page.get_by_role("button", name="★ Bookmarked").click()
    expect(page.get_by_role("button", name="☆ Bookmark")).to_have_attribute("aria-pressed", "false")
    assert not Bookmark.objects.exists()


def test_bookmarks_page_removes_in_place(signed_in_page, live_server, learner):
    load_bank()
    for question in Question.objects.all()[:3]:
        Bookmark.objects.create(user=learner, question=question)
    page = signed_in_page
    page.goto(live_server.url + "/bookmarks/")
    remove_buttons = page.get_by_role("button", name=re.compile("^Remove bookmark"))
    expect(remove_buttons).to_have_count(3)
    screenshot(page, "bookmarks")
    remove_buttons.first.click()
    expect(remove_buttons).to_have_count(2)
    assert Bookmark.objects.filter(user=learner).count() == 2
    status = page.get_by_role("status").filter(has_text="from your bookmarks")
    expect(status).to_contain_text("Removed “")
    screenshot(page, "bookmarks-removed")
    status.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("is back in your bookmarks")).to_be_visible()
    expect(remove_buttons).to_have_count(3)
    page.get_by_role("button", name="Quiz these (3)").click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()


def test_curator_edits_and_publishes_a_question(page, live_server, db):
    load_bank()
    make_user("carol")
    call_command("make_curator", "carol")
    question = Question.objects.get(slug="what-is-pytorch")
    question.unpublish()

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Questions").first.click()
    page.get_by_role("link", name="What is PyTorch, and where does it come from?").click()
    page.get_by_label("Prompt").fill("What is PyTorch, and where did it come from?")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.get_by_role("checkbox", name=re.compile("What is PyTorch, and where did it come from")).check()
    page.get_by_label("Action:", exact=False).and_(page.get_by_role("combobox")).select_option(
        label="Publish selected questions"
    )
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Published 1 question(s).")).to_be_visible()
    screenshot(page, "admin-questions")
    question.refresh_from_db()
    assert question.status == "published" and question.version == 2


def test_htmx_error_paths_never_swap_a_whole_page_into_the_note(signed_in_page, live_server, learner, settings):
    load_bank()
    page = signed_in_page
    url = live_server.url + "/questions/what-is-pytorch/"

    # Over a rate limit: the message shows above the page, the note form stays.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "note": "1/m"}
    page.goto(url)
    page.get_by_label("Your private note").fill("First")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status").filter(has_text="Note saved.")).to_be_visible()
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#alerts").get_by_role("alert")).to_have_text(re.compile("Too many changes"))
    expect(page.get_by_role("button", name="Save note")).to_be_visible()
    expect(page.locator("header.site-header")).to_have_count(1)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "note": "60/m"}

    # A stale CSRF token (logged in again in another tab): the page reloads instead.
    page.goto(url)
    page.context.add_cookies([{"name": "csrftoken", "value": "x" * 32, "url": live_server.url}])
    page.get_by_label("Your private note").fill("Second")
    with page.expect_navigation():
        page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("This form has expired")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)

    # Signed out meanwhile: the log-in page loads as a page of its own.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_label("Your private note").fill("Third")
    page.get_by_role("button", name="Save note").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/questions/what-is-pytorch/"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.locator("header.site-header")).to_have_count(1)
    assert Note.objects.get(user=learner).body == "First"


def test_question_page_reveal_and_practise(signed_in_page, live_server, learner):
    load_bank()
    page = signed_in_page
    question = Question.objects.published().filter(kind="single").first()
    page.goto(live_server.url + question.get_absolute_url())
    # The choices are a list to think about, not controls that do nothing.
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("list").filter(has=page.get_by_role("listitem")).first).to_be_visible()
    reveal = page.get_by_text("Reveal the answer", exact=True)
    marker = reveal.evaluate("e => getComputedStyle(e, '::before').content")
    assert marker not in ("none", "normal", "")
    reveal.click()
    expect(page.locator("#answer .answer")).to_be_visible()
    page.get_by_role("button", name="Practise it in a quiz").click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    expect(page.locator("#question-card").get_by_role("radio").first).to_be_focused()


def test_search_marks_why_each_result_matched_and_clears(page, live_server, db):
    load_bank()
    page.goto(live_server.url + "/questions/")
    page.get_by_label("Search").fill("normalisation")
    results = page.get_by_role("region", name="Results")
    expect(results.locator("mark").first).to_be_visible()
    expect(results.get_by_text(re.compile(r"questions? for “normalisation”"))).to_be_visible()
    screenshot(page, "questions-search")
    page.get_by_label("Search").fill("quantumfoam")
    expect(results.get_by_text("No questions match “quantumfoam”")).to_be_visible()
    results.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_label("Search")).to_have_value("")
    expect(results.get_by_text(re.compile(r"^\d{3} questions"))).to_be_visible()


def test_filter_controls_line_up_and_show_whole_labels(page, live_server, db):
    load_bank()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/questions/?kind=open")
    boxes = [page.get_by_label(name).bounding_box() for name in ("Topic", "Difficulty", "Kind")]
    assert len({round(box["y"]) for box in boxes}) == 1 and len({round(box["height"]) for box in boxes}) == 1
    kind = page.get_by_label("Kind")
    assert kind.evaluate("e => e.scrollWidth <= e.clientWidth")
    search = page.get_by_label("Search").bounding_box()
    assert round(search["height"]) == round(boxes[0]["height"])
