"""Personas and shared fixtures for the whole suite."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

User = get_user_model()
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Hashed static names need collectstatic; tests serve the source files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, email=f"{username}@example.com", password=PASSWORD, **extra)


@pytest.fixture
def learner(db):
    return make_user("ada")


@pytest.fixture
def other_learner(db):
    return make_user("grace")


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def other_client(other_learner):
    client = Client()
    client.force_login(other_learner)
    return client


@pytest.fixture
def htmx_client(learner):
    client = Client(headers={"HX-Request": "true"})
    client.force_login(learner)
    return client
