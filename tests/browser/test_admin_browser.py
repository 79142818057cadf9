"""Curators in admin: a live preview of the unsaved form, the fields each kind uses, statistics on screen."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def curator_page(page, live_server, db):
    make_user("carol")
    call_command("make_curator", "carol")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_new_question_preview_and_kind_fields(curator_page, live_server):
    call_command("load_question_bank", verbosity=0)
    page = curator_page
    page.goto(live_server.url + "/admin/interviews/question/add/")
    choices = page.locator("#choices-group")
    expect(choices.get_by_role("textbox", name="Choice text")).to_have_count(4)
    page.get_by_label("Kind").select_option(label="Short answer")
    expect(choices).to_be_hidden()
    expect(page.locator("#accepted_answers-group")).to_be_visible()
    expect(page.get_by_label("Key points")).to_be_hidden()
    page.get_by_label("Kind").select_option(label="Single answer")
    expect(choices).to_be_visible()
    expect(page.locator("#accepted_answers-group")).to_be_hidden()

    prompt = "Which call fills `x.grad` after a forward pass through a model with several layers, in PyTorch 2.x?"
    page.get_by_label("Prompt").fill(prompt + " " + "x" * (150 - len(prompt) - 1))
    box = page.get_by_label("Prompt")
    assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 2")  # 150 characters fit without scrolling
    page.get_by_label("Answer:").fill("Call `loss.backward()`.")
    choices.get_by_role("textbox", name="Choice text").first.fill("`backward()`")
    page.get_by_role("button", name="Preview unsaved changes").click()
    preview = page.locator("#question-preview")
    expect(preview.locator("h3 code")).to_have_text("x.grad")
    expect(preview.locator("li code").first).to_have_text("backward()")
    expect(preview).to_contain_text("Unsaved preview")
    screenshot(page, "admin-add-preview")


def test_question_list_statistics_fit_1366(curator_page, live_server):
    call_command("load_question_bank", verbosity=0)
    page = curator_page
    page.goto(live_server.url + "/admin/interviews/question/")
    for name in ("Answered", "Correct", "Discrim.", "Overrides", "Reports"):
        header = page.get_by_role("columnheader", name=name)
        box = header.bounding_box()
        assert box["x"] + box["width"] <= 1366, name
    page.get_by_role("link", name=re.compile("^What is PyTorch")).first.click()
    expect(page.get_by_text("Share correct")).to_be_visible()
    expect(page.get_by_text("Open reports")).to_be_visible()
    screenshot(page, "admin-question-change")
