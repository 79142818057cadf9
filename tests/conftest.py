"""Personas and shared fixtures for the whole suite."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT
from django.utils.http import urlencode

from interviews import question_memo

User = get_user_model()
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none spent.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_kept_questions():
    # Rolled-back tests reuse question ids, and frozen clocks repeat updated_at: start empty.
    question_memo.forget_all()


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Hashed static names need collectstatic; tests serve the source files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _forms_posted_like_browsers(monkeypatch):
    """A browser (and htmx) posts a form without a file input urlencoded; the test client would send
    multipart, which the site refuses everywhere but the admin's file import."""
    post = RequestFactory.post

    def urlencoded_post(self, path, data=None, content_type=MULTIPART_CONTENT, **kwargs):
        data = {} if data is None else data
        if content_type == MULTIPART_CONTENT and isinstance(data, dict):
            values = [v for value in data.values() for v in (value if isinstance(value, list | tuple) else [value])]
            if not any(hasattr(value, "read") for value in values):
                data, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        return post(self, path, data, content_type, **kwargs)

    monkeypatch.setattr(RequestFactory, "post", urlencoded_post)


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
