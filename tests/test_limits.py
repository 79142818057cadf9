"""Rate limits (429 with a clear message, plain and htmx) and the password hasher."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from config import settings as project_settings
from interviews.models import Answer, Note, Quiz
from tests.conftest import PASSWORD
from tests.factories import make_question, make_topic
from tests.test_site import run_django

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def lower(**rates):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}

    return lower


def log_in(client, username, password="wrong-password", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_log_in_is_limited_per_address_whatever_the_username(client, limits, learner):
    limits(login="3/m")
    assert [log_in(client, name).status_code for name in ("a", "b", "c")] == [200, 200, 200]
    refused = log_in(client, "ada", PASSWORD)
    assert refused.status_code == 429
    assert "Too many log-in attempts from your network" in refused.content.decode()
    assert int(refused["Retry-After"]) == 60
    admin = client.post(reverse("admin:login"), {"username": "ada", "password": PASSWORD})
    assert admin.status_code == 429
    assert log_in(Client(REMOTE_ADDR="10.9.8.7"), "ada", PASSWORD).status_code == 302


def test_a_limited_htmx_request_gets_the_message_above_the_page(htmx_client, learner, limits):
    limits(note="1/m")
    question = make_question()
    url = question.get_absolute_url()
    htmx_client.post(url, {"action": "note", "body": "first"})
    refused = htmx_client.post(url, {"action": "note", "body": "second"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert refused["HX-Retarget"] == "#alerts" and refused["HX-Reswap"] == "innerHTML"
    assert "<html" not in page and "Too many changes in a short time" in page
    assert Note.objects.get().body == "first"
    assert 'id="alerts"' in htmx_client.get(url, headers={"HX-Request": ""}).content.decode()


def test_sign_up_is_limited_per_address(client, limits):
    limits(signup="2/h")
    for n in range(3):
        response = Client().post(
            reverse("interviews:signup"),
            {
                "username": f"user{n}",
                "email": f"u{n}@example.com",
                "password1": "A-long-pass-77",
                "password2": "A-long-pass-77",
            },
        )
    assert response.status_code == 429 and "Too many accounts were created" in response.content.decode()
    assert User.objects.count() == 2


def test_password_reset_is_limited_per_address_and_per_client(client, learner, limits):
    limits(password_reset_address="2/h", password_reset="4/h")
    statuses = [client.post(reverse("password_reset"), {"email": "ADA@example.com"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429] and len(mail.outbox) == 2
    assert client.post(reverse("password_reset"), {"email": "other@example.com"}).status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "third@example.com"})
    assert refused.status_code == 429 and "Too many password resets" in refused.content.decode()


def test_quiz_creation_is_limited_per_account(learner_client, other_client, learner, limits):
    limits(quiz_create="2/10m")
    for _ in range(5):
        make_question()
    statuses = [
        learner_client.post(reverse("interviews:quiz-new"), {"preset": "quick10"}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Quiz.objects.filter(user=learner).count() == 2
    assert other_client.post(reverse("interviews:quiz-new"), {"preset": "quick10"}).status_code == 302


def test_answers_are_limited_per_account(learner_client, learner, limits):
    from tests.test_quiz import first_item, right_answer, start

    limits(answer="1/m")
    make_topic()
    for _ in range(6):
        make_question(kind="single")
    quiz = start(learner, kind="single")
    items = list(quiz.items.select_related("question"))
    url = reverse("interviews:quiz-detail", args=[quiz.pk])
    first = learner_client.post(
        url, {"action": "answer", "question": items[0].question_id, **right_answer(items[0].question)}
    )
    assert first.status_code == 302
    second = learner_client.post(
        url, {"action": "answer", "question": items[1].question_id, **right_answer(items[1].question)}
    )
    assert second.status_code == 429 and "faster than anyone can read" in second.content.decode()
    assert Answer.objects.count() == 1
    assert first_item(quiz).question_id == items[0].question_id
    assert learner_client.get(url).status_code == 200  # reading is never limited


def test_limits_come_from_the_environment_and_junk_is_refused():
    code = "from django.conf import settings; print(settings.RATE_LIMITS['login'], settings.RATE_LIMITS['answer'])"
    result = run_django("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", DJANGO_RATE_LOGIN="7/5m")
    assert result.stdout.split() == ["7/5m", "120/m"]
    result = run_django("check", DJANGO_DEBUG="1", DJANGO_RATE_SIGNUP="lots")
    assert result.returncode != 0 and "DJANGO_RATE_SIGNUP must be a rate such as 10/m" in result.stderr


def test_behind_a_proxy_the_client_is_the_address_the_proxy_added(client, limits, settings):
    settings.BEHIND_PROXY = True
    limits(login="1/m")
    assert log_in(client, "a", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.5"}).status_code == 200
    assert log_in(client, "b", headers={"X-Forwarded-For": "9.9.9.9, 203.0.113.5"}).status_code == 429
    assert log_in(client, "c", headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 200


def test_passwords_are_hashed_with_argon2id_and_older_hashes_upgraded_at_log_in(client, settings):
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create(username="old", email="old@example.com")
    # A cheap PBKDF2 hash, as stored before the switch (fewer rounds keep the test fast).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt123", iterations=1000)
    user.save()
    assert log_in(client, "old", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
