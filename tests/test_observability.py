"""What the server tells its operator: the request log line, /metrics behind a token, /healthz, the 503 page."""

import json
import logging

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now

from interviews.models import HealthProbe, Question
from interviews.quizzes import create_quiz
from tests.factories import make_question

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests-0123456789"


def request_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "prep.requests"]


def test_every_request_logs_one_json_line(learner_client, learner, caplog):
    caplog.set_level(logging.INFO, logger="prep.requests")
    with CaptureQueriesContext(connection) as queries:
        response = learner_client.get(reverse("interviews:home"))
    [line] = request_lines(caplog)
    assert line["method"] == "GET" and line["path"] == "/" and line["status"] == 200
    assert line["view"] == "interviews:home" and line["user"] == learner.pk
    assert line["queries"] == len(queries) > 0
    assert line["duration_ms"] > 0 and len(line["request_id"]) == 32
    assert response["X-Request-ID"] == line["request_id"]


def test_a_proxys_request_id_is_kept_and_junk_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="prep.requests")
    kept = client.get("/healthz", headers={"X-Request-ID": "abc-123.def"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "no spaces <allowed>"})
    assert kept["X-Request-ID"] == "abc-123.def"
    assert replaced["X-Request-ID"] != "no spaces <allowed>" and len(replaced["X-Request-ID"]) == 32
    assert [line["request_id"] for line in request_lines(caplog)] == [kept["X-Request-ID"], replaced["X-Request-ID"]]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}x"])
def test_metrics_are_hidden_without_the_token(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": header} if header else {}
    assert client.get("/metrics", headers=headers).status_code == 404


def test_metrics_are_hidden_when_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_show_latency_answers_and_errors(client, learner_client, learner, settings, monkeypatch):
    settings.METRICS_TOKEN = TOKEN
    question = make_question(kind="single")
    quiz = create_quiz(user=learner, questions=Question.objects.all(), mode="practice", size=5, title="M", now=now())
    choice = question.choices.get(is_correct=True)
    learner_client.post(quiz.get_absolute_url(), {"action": "answer", "question": question.pk, "choice": choice.pk})
    monkeypatch.setattr("interviews.views.pages.Topic.objects.with_published_counts", broken_database)
    client.raise_request_exception = False
    client.get(reverse("interviews:home"))
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    assert 'prep_request_duration_seconds_count{method="POST",status="302",view="interviews:quiz-detail"}' in text
    assert 'prep_answers_recorded_total{mode="practice"}' in text
    assert 'prep_database_errors_total{error="OperationalError"}' in text


def broken_database(*args, **kwargs):
    raise OperationalError("database or disk is full")


def test_a_database_that_cannot_serve_gets_the_503_page(client, monkeypatch):
    monkeypatch.setattr("interviews.views.pages.Topic.objects.with_published_counts", broken_database)
    client.raise_request_exception = False
    response = client.get(reverse("interviews:home"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The site is unavailable for a moment" in page and "Traceback" not in page


def test_a_bug_is_still_a_500(client, monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("interviews.views.pages.Topic.objects.with_published_counts", bug)
    client.raise_request_exception = False
    assert client.get(reverse("interviews:home")).status_code == 500


def test_healthz_writes_its_probe_row_in_place(client):
    client.get("/healthz")
    first = HealthProbe.objects.get()
    client.get("/healthz")
    assert HealthProbe.objects.count() == 1 and HealthProbe.objects.get().checked_at > first.checked_at


def test_healthz_reports_a_full_disk(client, settings):
    if connection.vendor != "sqlite":
        pytest.skip("free space is checked where the database is a file on this machine")
    settings.HEALTHZ_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "disk full",
        "cache": "up",
        "tasks": "not configured",
    }


def test_healthz_reports_a_cache_that_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503 and json.loads(response.content)["cache"] == "down"


def test_healthz_reports_the_task_queue(client, settings):
    # The suite runs tasks at once (conftest); production queues them in the database.
    assert json.loads(client.get("/healthz").content)["tasks"] == "not configured"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert json.loads(client.get("/healthz").content)["tasks"] == "up"
