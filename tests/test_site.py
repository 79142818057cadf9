"""Settings, security headers, error pages and the health check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def run_django(*args, **env_overrides):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_start_up_without_secret_key_stops_with_a_clear_message():
    result = run_django("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_mode_needs_no_secret_key():
    result = run_django("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_junk_boolean_setting_is_refused():
    result = run_django("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_in_a_production_like_environment():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x7#k2!vQ9pL$mN4zR8wT1yB6cF3hJ0dS5gA_eU-iO+uY=tE*rW&qP",
        DJANGO_ALLOWED_HOSTS="prep.example.com",
        EMAIL_HOST="smtp.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_switches_to_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_django(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u@localhost:5432/prep"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_redis_url_switches_the_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_django("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_sqlite_is_tuned_for_concurrent_use():
    code = (
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode)"
    )
    result = run_django(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", SQLITE_PATH="/tmp/prep-settings-test.sqlite3"
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


def test_security_headers_on_every_page(client):
    response = client.get(reverse("interviews:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client):
    page = client.get(reverse("interviews:home")).content.decode()
    assert "<script>" not in page and "style=" not in page
    assert 'hx-headers:inherited=\'{"X-CSRFToken"' in page


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "up", "cache": "up", "tasks": "not configured"}


def test_healthz_reports_unavailable_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "unavailable"


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_server_error_shows_a_friendly_page_without_details(client):
    from interviews.views.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_static_htmx_is_vendored_not_from_a_cdn(client):
    page = client.get(reverse("interviews:home")).content.decode()
    assert "/static/vendor/htmx-4.0.1.min.js" in page
    assert "https://" not in page.split("<body")[0]
    assert (ROOT / "static/vendor/htmx-4.0.1.min.js").exists()


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("interviews:home")).status_code == 301


def test_head_requests_are_answered(client):
    assert client.head(reverse("interviews:home")).status_code == 200
    assert client.head(reverse("interviews:question-list")).status_code == 200


# Caching, htmx error paths and uploads


@pytest.fixture
def finished_quiz(learner):
    from django.utils import timezone

    from interviews.models import Question
    from interviews.quizzes import create_quiz
    from tests.factories import make_question

    for _ in range(5):
        make_question()
    quiz = create_quiz(
        user=learner, questions=Question.objects.all(), mode="practice", size=5, title="T", now=timezone.now()
    )
    open_quiz = create_quiz(
        user=learner, questions=Question.objects.all(), mode="practice", size=5, title="T", now=timezone.now()
    )
    quiz.finish(now=timezone.now())
    return quiz, open_quiz


def test_every_signed_in_response_is_private_and_never_stored(learner_client, htmx_client, finished_quiz):
    quiz, open_quiz = finished_quiz
    pages = [
        reverse("interviews:home"),
        reverse("interviews:dashboard"),
        reverse("interviews:bookmark-list"),
        reverse("interviews:account"),
        reverse("interviews:review"),
        reverse("interviews:quiz-new"),
        reverse("interviews:quiz-detail", args=[open_quiz.pk]),
        reverse("interviews:quiz-results", args=[quiz.pk]),
        reverse("interviews:dashboard-export") + "?format=json",
        reverse("interviews:dashboard-export") + "?format=csv&table=answers",
    ]
    for client in (learner_client, htmx_client):
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
            assert {"private", "no-store"} <= directives, page
    redirect = learner_client.post(reverse("interviews:quiz-results", args=[quiz.pk]), {"action": "retry"})
    assert "no-store" in redirect["Cache-Control"]


def test_anonymous_pages_may_be_cached(client):
    assert "no-store" not in client.get(reverse("interviews:question-list")).get("Cache-Control", "")


def test_stale_csrf_token_on_an_htmx_request_reloads_the_page(learner, finished_quiz):
    from django.test import Client

    _, open_quiz = finished_quiz
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(reverse("interviews:quiz-detail", args=[open_quiz.pk]))
    headers = {"HX-Request": "true", "X-CSRFToken": "stale" * 8}
    response = client.post(
        reverse("interviews:quiz-detail", args=[open_quiz.pk]), {"action": "abandon"}, headers=headers
    )
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert "<html" not in response.content.decode()
    plain = client.post(reverse("interviews:quiz-detail", args=[open_quiz.pk]), {"action": "abandon"})
    assert plain.status_code == 403 and "This form has expired" in plain.content.decode()


def test_signed_out_htmx_request_is_sent_to_the_log_in_page(client):
    quiz_page = "http://testserver/quiz/7/?q=3"
    response = client.get("/quiz/7/", {"q": 3}, headers={"HX-Request": "true", "HX-Current-URL": quiz_page})
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/quiz/7/%3Fq%3D3"
    assert "<html" not in response.content.decode()
    response = client.post("/quiz/7/", {"action": "answer"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/quiz/7/"
    assert client.get("/quiz/7/").status_code == 302


def test_file_uploads_are_refused_outside_the_admin_import(client, learner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.bin", b"x" * 300_000)
    response = client.post(reverse("login"), {"username": "ada", "password": "x", "file": upload})
    assert response.status_code == 415
    assert "does not accept file uploads" in response.content.decode()
    upload.seek(0)
    response = learner_client.post(reverse("interviews:account"), {"time_zone": "UTC", "file": upload})
    assert response.status_code == 415


# Errors are reported; HSTS preload is opted into


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7#k2!vQ9pL$mN4zR8wT1yB6cF3hJ0dS5gA_eU-iO+uY=tE*rW&qP",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}


def test_a_server_error_is_logged_as_json_with_its_traceback_and_mailed_to_admins(tmp_path):
    # The database has no tables, so the home page fails as a real bug would.
    code = "from django.test import Client; print(Client(raise_request_exception=False).get('/').status_code)"
    result = run_django(
        "shell", "--no-imports", "-c", code, **PRODUCTION,
        SQLITE_PATH=str(tmp_path / "empty.sqlite3"), DJANGO_ADMINS="ops@example.com,oncall@example.com",
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "500"
    errors = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    error = next(e for e in errors if e.get("status_code") == 500)
    assert error["level"] == "ERROR" and error["logger"] == "django.request" and error["path"] == "/"
    assert "OperationalError" in error["exception"] and "Traceback (most recent call last)" in error["traceback"]
    assert "To: ops@example.com, oncall@example.com" in result.stdout
    assert "Subject: [Django] ERROR" in result.stdout


def test_hsts_preload_is_an_explicit_opt_in():
    code = "from django.test import Client; print(Client().get('/healthz', secure=True)['Strict-Transport-Security'])"
    default = run_django("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert default.stdout.strip() == "max-age=31536000; includeSubDomains", default.stderr
    opted_in = run_django("shell", "--no-imports", "-c", code, **PRODUCTION, DJANGO_HSTS_PRELOAD="1")
    assert opted_in.stdout.strip() == "max-age=31536000; includeSubDomains; preload"


def test_admin_history_page_has_no_inline_style(admin_client):
    from tests.factories import make_question

    question = make_question()
    question.prompt = "Changed?"
    question.save()
    page = admin_client.get(reverse("admin:interviews_question_history", args=[question.pk])).content.decode()
    assert "Changed?" in page and "style=" not in page


def test_pages_are_compressed_for_browsers_that_take_gzip(learner_client):
    import gzip

    plain = learner_client.get("/")
    packed = learner_client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and plain["Vary"].count("Accept-Encoding") == 1
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 2
    assert gzip.decompress(packed.content).decode().count("ML Interview Prep") >= 1
