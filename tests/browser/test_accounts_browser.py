"""A newcomer signs up, logs out, logs in and changes their password in a real browser."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

PASSWORD = "a-much-Longer-passphrase-7"
NEW_PASSWORD = "another-Longer-passphrase-8"


def test_sign_up_log_out_log_in_change_password(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill("marie")
    page.get_by_label("Email").fill("marie@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome, marie!")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Account (marie)")

    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()

    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("marie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Account (marie)")

    page.get_by_role("link", name="Account").first.click()
    screenshot(page, "account")
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert get_user_model().objects.get(username="marie").check_password(NEW_PASSWORD)


def test_sign_up_errors_are_shown_next_to_the_fields(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Email").fill("pat@example.com")
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Password confirmation").fill("password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    screenshot(page, "signup-errors")
    assert not get_user_model().objects.filter(username="pat").exists()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
