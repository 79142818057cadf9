"""Sign-up, log-in, log-out, password change and reset, account deletion."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import PASSWORD, make_user

User = get_user_model()
pytestmark = pytest.mark.django_db

STRONG = "a-much-Longer-passphrase-7"


def signup(client, **overrides):
    data = {"username": "newbie", "email": "newbie@example.com", "password1": STRONG, "password2": STRONG}
    data.update(overrides)
    return client.post(reverse("interviews:signup"), data)


def test_signup_creates_user_and_logs_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert client.get(reverse("interviews:account")).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "ada"}, "A user with that username already exists."),
        ({"username": "ADA"}, "A user with that username already exists."),
        ({"username": "\u0430da"}, "Enter a valid username"),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password2": "something-else-entirely-9"}, "The two password fields didn"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": ""}, "This field is required."),
    ],
)
def test_signup_bad_input_is_explained_and_saves_nothing(client, learner, overrides, message):
    response = signup(client, **overrides)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_login_then_logout(client, learner):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("interviews:account")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("interviews:account")).status_code == 302


def test_logout_by_get_is_refused(learner_client):
    assert learner_client.get(reverse("logout")).status_code == 405
    assert learner_client.get(reverse("interviews:account")).status_code == 200


def test_wrong_password_message_is_the_same_whether_or_not_user_exists(client, learner):
    known = client.post(reverse("login"), {"username": "ada", "password": "wrong-password"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200

    def errors(response):
        return re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', response.content.decode(), re.S)

    assert errors(known) == errors(unknown)
    assert "Please enter a correct username and password" in errors(known)[0]


def test_repeated_failures_lock_out_the_user_from_that_address(client, learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert client.get(reverse("interviews:account")).status_code == 302


def test_account_page_needs_login(client):
    response = client.get(reverse("interviews:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change(learner_client, learner):
    response = learner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(STRONG)


def test_password_change_with_wrong_old_password_changes_nothing(learner_client, learner):
    response = learner_client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_password_reset_sends_a_working_link(client, learner):
    response = client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(STRONG)


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, learner):
    response = client.post(reverse("password_reset"), {"email": "stranger@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_delete_account_needs_the_password(learner_client, learner):
    response = learner_client.post(reverse("interviews:delete-account"), {"password": "wrong"})
    assert response.status_code == 422
    assert "That password is not correct." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()


def test_delete_account_removes_the_user_and_logs_out(learner_client, learner):
    response = learner_client.post(reverse("interviews:delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert learner_client.get(reverse("interviews:account")).status_code == 302


def test_delete_account_by_get_is_refused(learner_client):
    assert learner_client.get(reverse("interviews:delete-account")).status_code == 405


def test_missing_csrf_token_is_refused_with_a_friendly_page(learner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_signed_in_user_sees_their_name_in_the_header(learner_client):
    page = learner_client.get(reverse("interviews:home")).content.decode()
    assert 'Account <span class="signed-in">(ada)</span>' in page


def test_staff_and_regular_users_are_separate(db):
    make_user("curator1", is_staff=True)
    assert User.objects.filter(is_staff=True).count() == 1


# Hardening: enumeration, reset links, look-alikes, lockout, traces, mail off the request path


def test_signup_with_a_taken_address_answers_like_any_other_and_tells_the_owner(client, learner):
    response = signup(client, email="ADA@example.com")
    fresh = signup(Client(), username="newbie2", email="fresh@example.com")
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"]
    assert client.get(reverse("interviews:account")).status_code == 200
    notices = [m for m in mail.outbox if m.to == ["ada@example.com"]]
    assert len(notices) == 1 and len(mail.outbox) == 1
    assert '"newbie"' in notices[0].body and "/accounts/password_reset/" in notices[0].body


def reset_link(client, email="ada@example.com"):
    client.post(reverse("password_reset"), {"email": email})
    return re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)


def test_reset_link_expires_after_an_hour(client, learner):
    link = reset_link(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        page = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in page


def test_reset_link_of_a_deactivated_account_sets_no_password(client, learner):
    form_page = client.get(reset_link(client), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    learner.is_active = False
    learner.save()
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert "This link no longer works" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_reset_mail_is_sent_by_the_task_worker_not_the_request(client, learner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.post(reverse("password_reset"), {"email": "ada@example.com"}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "nobody@example.com"}).status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 2
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert "/accounts/reset/" in mail.outbox[0].body


def fail_logins(client, count):
    for _ in range(count):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})


def test_attempts_while_locked_out_do_not_restart_the_cool_off(client, learner, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_logins(client, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        fail_logins(client, 3)
        assert client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 302


def test_lockout_page_says_the_wait_in_words_and_the_json_answer_grants_no_origin(client, learner, settings):
    fail_logins(client, settings.AXES_FAILURE_LIMIT)
    page = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert page.status_code == 429
    assert "locked for 15 minutes" in page.content.decode() and "PT15M" not in page.content.decode()
    script = client.post(
        reverse("login"), {"username": "ada", "password": PASSWORD}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert script.status_code == 429 and script.json()["detail"].endswith("Try again in 15 minutes.")
    assert "Access-Control-Allow-Origin" not in script


def test_deleting_an_account_removes_its_log_in_records(learner_client, learner, client):
    Client().post(reverse("login"), {"username": "ada", "password": PASSWORD})
    fail_logins(client, 2)
    assert AccessLog.objects.filter(username="ada").exists()
    assert AccessAttempt.objects.filter(username="ada").exists()
    learner_client.post(reverse("interviews:delete-account"), {"password": PASSWORD})
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username="ada").exists()
